import App
import Glibc

extension Commands {
    /// `continuity healthcheck`: GET /health on the configured address, exit 0 on a 200 within
    /// 3 seconds. For Docker's HEALTHCHECK without curl in the image.
    static func healthcheck(_ a: Arguments) throws -> Int32 {
        let env = try Environment(configPath: a["config"])
        var host = env.settings.serverHost
        if host == "0.0.0.0" { host = "127.0.0.1" }
        let status = httpStatus(host: host, port: env.settings.serverPort, path: "/health")
        if status == 200 {
            print("ok")
            return Exit.ok
        }
        printError(status.map { "GET /health answered \($0)" } ?? "no answer from \(host):\(env.settings.serverPort)")
        return Exit.failure
    }

    static func httpStatus(host: String, port: Int, path: String) -> Int? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 3, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &addr.sin_addr) == 1 else { return nil }
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return nil }
        return exchangeStatus(fd, Array("GET \(path) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n".utf8))
    }
}
