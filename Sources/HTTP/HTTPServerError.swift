import Glibc

/// A failed system call, with the call and errno captured where it happened.
public struct HTTPServerError: Error, CustomStringConvertible, Sendable {
    public var call: String
    public var errno: Int32

    public var description: String {
        "\(call) failed: \(String(cString: strerror(errno))) (errno \(errno))"
    }

    static func lastError(_ call: String) -> HTTPServerError {
        HTTPServerError(call: call, errno: Glibc.errno)
    }
}
