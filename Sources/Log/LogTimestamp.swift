#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// RFC 3339 UTC timestamps with milliseconds (`2026-11-23T10:00:00.123Z`), without Foundation.
enum LogTimestamp {
    /// The current wall-clock time from `clock_gettime(CLOCK_REALTIME)`.
    static func now() -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return format(seconds: Int(spec.tv_sec), nanoseconds: Int(spec.tv_nsec))
    }

    /// `seconds` since the Unix epoch plus `nanoseconds` (0..<1e9), truncated to milliseconds.
    static func format(seconds: Int, nanoseconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        guard gmtime_r(&time, &parts) != nil else { return "1970-01-01T00:00:00.000Z" }
        var out = ""
        out.reserveCapacity(24)
        append(Int(parts.tm_year) + 1900, width: 4, to: &out)
        out.append("-")
        append(Int(parts.tm_mon) + 1, width: 2, to: &out)
        out.append("-")
        append(Int(parts.tm_mday), width: 2, to: &out)
        out.append("T")
        append(Int(parts.tm_hour), width: 2, to: &out)
        out.append(":")
        append(Int(parts.tm_min), width: 2, to: &out)
        out.append(":")
        append(Int(parts.tm_sec), width: 2, to: &out)
        out.append(".")
        append(nanoseconds / 1_000_000, width: 3, to: &out)
        out.append("Z")
        return out
    }

    private static func append(_ value: Int, width: Int, to out: inout String) {
        let digits = String(value)
        if digits.count < width { out.append(String(repeating: "0", count: width - digits.count)) }
        out.append(digits)
    }
}
