import Synchronization

/// Prometheus text exposition (SPEC §4 `/metrics`): requests by route and status, a latency
/// histogram, and gauges read when scraped (open connections, writes committed, open alerts).
public final class Metrics: Sendable {
    static let bounds: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

    struct Histogram { var buckets = [Int](repeating: 0, count: Metrics.bounds.count); var count = 0; var sum = 0.0 }
    struct State {
        var requests: [String: Int] = [:]          // "route\u{0}method\u{0}status"
        var latency: [String: Histogram] = [:]     // route
        var batches: Histogram = Histogram()
    }
    private let state = Mutex(State())
    /// Gauges: name, help, reader.
    private let gauges = Mutex<[(String, String, @Sendable () -> Double)]>([])

    public init() {}

    public func addGauge(_ name: String, help: String, _ read: @escaping @Sendable () -> Double) {
        gauges.withLock { $0.append((name, help, read)) }
    }

    func record(route: String, method: String, status: Int, seconds: Double) {
        state.withLock { s in
            s.requests["\(route)\u{0}\(method)\u{0}\(status)", default: 0] += 1
            var h = s.latency[route] ?? Histogram()
            Metrics.observe(&h, seconds)
            s.latency[route] = h
        }
    }

    /// Size of one group-commit batch.
    public func recordBatch(_ size: Int) {
        state.withLock { Metrics.observe(&$0.batches, Double(size), bounds: Metrics.batchBounds) }
    }
    static let batchBounds: [Double] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048]

    static func observe(_ h: inout Histogram, _ v: Double, bounds: [Double] = Metrics.bounds) {
        for (i, b) in bounds.enumerated() where v <= b { h.buckets[i] += 1 }
        h.count += 1
        h.sum += v
    }

    public func render() -> String {
        let s = state.withLock { $0 }
        var out = "# HELP continuity_http_requests_total HTTP requests by route, method and status.\n"
        out += "# TYPE continuity_http_requests_total counter\n"
        for (key, n) in s.requests.sorted(by: { $0.key < $1.key }) {
            let p = key.split(separator: "\u{0}", omittingEmptySubsequences: false)
            out += "continuity_http_requests_total{route=\"\(p[0])\",method=\"\(p[1])\",status=\"\(p[2])\"} \(n)\n"
        }
        out += "# HELP continuity_http_request_duration_seconds Time from parsed request to response, by route.\n"
        out += "# TYPE continuity_http_request_duration_seconds histogram\n"
        for (route, h) in s.latency.sorted(by: { $0.key < $1.key }) {
            out += Metrics.histogram("continuity_http_request_duration_seconds", h, bounds: Metrics.bounds, labels: "route=\"\(route)\",")
        }
        out += "# HELP continuity_commit_batch_size Writes committed per group-commit transaction.\n"
        out += "# TYPE continuity_commit_batch_size histogram\n"
        out += Metrics.histogram("continuity_commit_batch_size", s.batches, bounds: Metrics.batchBounds, labels: "")
        for (name, help, read) in gauges.withLock({ $0 }) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) gauge\n\(name) \(Metrics.number(read()))\n"
        }
        return out
    }

    static func histogram(_ name: String, _ h: Histogram, bounds: [Double], labels: String) -> String {
        var out = ""
        for (i, b) in bounds.enumerated() {
            out += "\(name)_bucket{\(labels)le=\"\(number(b))\"} \(h.buckets[i])\n"
        }
        out += "\(name)_bucket{\(labels)le=\"+Inf\"} \(h.count)\n"
        let l = labels.isEmpty ? "" : "{\(labels.dropLast())}"
        out += "\(name)_sum\(l) \(number(h.sum))\n\(name)_count\(l) \(h.count)\n"
        return out
    }

    static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }
}
