import POSIX
import Synchronization

/// A token bucket per key (a token's name, a remote address): `burst` at once, refilled at
/// `perMinute`. The API limits each token's requests with one; failed authentications per
/// address share another between the API and the sign-in form of the pages (SPEC §4).
public final class RateLimiter: Sendable {
    private let perSecond: Double
    private let burst: Double
    private let buckets = Mutex<[String: (tokens: Double, at: Double)]>([:])

    public init(perMinute: Int, burst: Int) {
        perSecond = Double(perMinute) / 60
        self.burst = Double(max(burst, 1))
    }

    /// Seconds to wait if the bucket is empty now, without taking from it; nil if not empty.
    public func wait(_ key: String) -> Int? {
        guard perSecond > 0 else { return nil }
        let now = monotonicSeconds()
        return buckets.withLock { b in
            guard let bucket = b[key] else { return nil }
            let tokens = min(burst, bucket.tokens + (now - bucket.at) * perSecond)
            return tokens >= 1 ? nil : Int(((1 - tokens) / perSecond).rounded(.up))
        }
    }

    /// nil if allowed, else seconds to wait.
    public func take(_ key: String) -> Int? {
        guard perSecond > 0 else { return nil }
        let now = monotonicSeconds()
        return buckets.withLock { b in
            var bucket = b[key] ?? (burst, now)
            bucket.tokens = min(burst, bucket.tokens + (now - bucket.at) * perSecond)
            bucket.at = now
            defer {
                b[key] = bucket
                // Bounded memory under a flood of distinct keys: forget buckets that are full again.
                if b.count > 10_000 { b = b.filter { now - $0.value.at < burst / perSecond } }
            }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return Int(((1 - bucket.tokens) / perSecond).rounded(.up))
        }
    }
}

extension HTTPRequest {
    /// The remote address without its port (`[::1]:5000` → `::1`): what is counted per address.
    public var remoteHost: String {
        let remote = remoteAddress
        if remote.hasPrefix("["), let end = remote.firstIndex(of: "]") { return String(remote[remote.index(after: remote.startIndex)..<end]) }
        if remote.filter({ $0 == ":" }).count == 1, let colon = remote.lastIndex(of: ":") { return String(remote[..<colon]) }
        return remote
    }
}
