#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Cryptographically secure random bytes from the kernel, for tokens and ids.
public enum SecureRandom {
    /// `count` bytes from the kernel's getrandom(2) pool, blocking until it is initialised.
    /// Swift's Glibc module map does not expose <sys/random.h>, so this calls glibc's
    /// getentropy(3) from <unistd.h>, which is a thin wrapper over the getrandom syscall
    /// limited to 256 bytes per call. Loops over EINTR; a kernel that refuses is a fatal
    /// error, because there is no safe fallback for token generation.
    public static func bytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0, "SecureRandom.bytes: negative count")
        guard count > 0 else { return [] }
        var out = [UInt8](repeating: 0, count: count)
        out.withUnsafeMutableBytes { raw in
            var filled = 0
            while filled < count {
                let chunk = min(count - filled, 256)
                if getentropy(raw.baseAddress! + filled, chunk) != 0 {
                    if errno == EINTR { continue }
                    fatalError("SecureRandom: getentropy/getrandom failed, errno \(errno)")
                }
                filled += chunk
            }
        }
        return out
    }
}

/// Compares two byte arrays in time that depends only on their lengths, never on where
/// they first differ (for comparing token hashes).
public func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    var diff: UInt8 = 0
    for i in 0..<a.count {
        diff |= a[i] ^ b[i]
    }
    return diff == 0
}
