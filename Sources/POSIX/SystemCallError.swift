import Glibc

/// A failed system call: which call, and errno (FlyingSocks' `SocketError.makeFailed` is the
/// model: the error is made where the call failed, with its context).
public struct SystemCallError: Error, Sendable, Equatable, CustomStringConvertible {
    public let call: String
    public let errno: Int32

    public init(_ call: String, errno: Int32 = Glibc.errno) {
        self.call = call
        self.errno = errno
    }

    public var description: String { "\(call) failed: \(String(cString: strerror(errno))) (errno \(errno))" }
}
