import Glibc

/// Sends a whole HTTP/1.1 request on a connected socket and reads the status code of the
/// answer's first line ("HTTP/1.1 200 …"): all that `continuity healthcheck` and the Litestream
/// control ask of a server. nil when the request cannot be sent or no status line comes back
/// (within the socket's receive timeout).
func exchangeStatus(_ fd: Int32, _ request: [UInt8]) -> Int? {
    var sent = 0
    while sent < request.count {
        let n = request.withUnsafeBytes { send(fd, $0.baseAddress! + sent, request.count - sent, Int32(MSG_NOSIGNAL)) }
        guard n > 0 else { return nil }
        sent += n
    }
    var head = [UInt8](repeating: 0, count: 64)
    var got = 0
    while got < 12 {
        let n = head.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + got, $0.count - got, 0) }
        if n <= 0 { break }
        got += n
    }
    guard got >= 12, head.starts(with: Array("HTTP/1.".utf8)) else { return nil }
    return Int(String(decoding: head[9..<12], as: UTF8.self))
}
