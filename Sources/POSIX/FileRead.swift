import Glibc

/// The whole file at `path`; nil if it does not exist; other failures throw with errno.
public func readWholeFile(_ path: String) throws -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 {
        if errno == ENOENT { return nil }
        throw SystemCallError("open \(path)")
    }
    defer { close(fd) }
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 {
            if errno == EINTR { continue }
            throw SystemCallError("read \(path)")
        }
        if n == 0 { return out }
        out += buffer[0..<n]
    }
}
