/// Every limit and knob of the server (SPEC §6, §7). Defaults match the SPEC.
public struct HTTPServerConfiguration: Sendable {
    /// IPv4 literal to bind; "0.0.0.0" for all interfaces.
    public var host: String = "127.0.0.1"
    /// 0 picks an ephemeral port; read it back from `HTTPServer.port`.
    public var port: Int = 8080
    public var maxConnections: Int = 1024
    /// Request line plus header fields; over this → 431.
    public var maxHeaderBytes: Int = 16 * 1024
    /// Request-target length; over this → 414.
    public var maxTargetBytes: Int = 8 * 1024
    /// Request body (after de-chunking); over this → 413.
    public var maxBodyBytes: Int = 1024 * 1024
    /// Time from a request's first byte until its head is complete; then 408 and close.
    public var headerTimeoutSeconds: Double = 10
    /// Longest pause between body bytes; then 408 and close.
    public var bodyTimeoutSeconds: Double = 10
    /// Keep-alive connections with no request are closed silently after this.
    public var idleTimeoutSeconds: Double = 60
    /// Threads running the (blocking) handler.
    public var workerThreads: Int = 16
    /// After an answer that closes the connection (a 413 while the body is still coming), the
    /// client's further bytes are read and dropped, up to this much for up to this long, so it
    /// reads the answer instead of a reset (RFC 9112 §9.6).
    public var lingerBytes: Int = 16 * 1024 * 1024
    public var lingerSeconds: Double = 10
    /// Response bodies larger than this are gzipped when the client accepts it.
    public var gzipMinimumBytes: Int = 1024

    public init() {}

    var parserLimits: HTTPParser.Limits {
        HTTPParser.Limits(maxHeaderBytes: maxHeaderBytes, maxTargetBytes: maxTargetBytes,
                          maxBodyBytes: maxBodyBytes)
    }
}
