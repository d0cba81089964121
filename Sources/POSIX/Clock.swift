import Glibc

/// Seconds on CLOCK_MONOTONIC (never steps back), for durations and deadlines.
public func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1_000_000_000
}

/// RFC 3339 §5.6 `date-time` in UTC with a "Z" offset, e.g. "2025-03-07T14:05:09Z", from
/// gmtime_r (proleptic Gregorian, as the C library computes it).
public func rfc3339UTC(seconds: Int64) -> String {
    var time = time_t(seconds)
    var parts = tm()
    guard gmtime_r(&time, &parts) != nil else { preconditionFailure("gmtime_r failed for \(seconds): errno \(errno)") }
    func pad(_ v: Int32, _ width: Int) -> String {
        let digits = String(v)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
    return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
        + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))Z"
}
