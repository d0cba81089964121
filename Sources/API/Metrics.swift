import Prometheus
import Synchronization

/// `/metrics` (SPEC §4, §10) in the Prometheus text format, on a swift-prometheus registry of
/// this application's own (no global bootstrap, so tests can run many applications in one
/// process). Every metric carries HELP text and counters end in `_total`, so
/// `promtool check metrics` passes (.ci/run checks it): requests by route and status, a
/// latency histogram, commit batch sizes, values read when scraped (connections, writes,
/// alerts, the daily run, exports) and the process metrics of `ProcessMetrics`.
public final class Metrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    /// Read at scrape time: gauges set to the value, counters advanced by the growth.
    private let readers = Mutex<[@Sendable () -> Void]>([])
    /// The metric objects per label set, made once (making them takes the registry's lock).
    private let perRoute = Mutex<[String: (Counter, DurationHistogram)]>([:])
    private let batches: ValueHistogram

    static let latencyBuckets: [Duration] = [
        .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
        .milliseconds(10), .milliseconds(20), .milliseconds(50), .milliseconds(100), .milliseconds(250),
        .milliseconds(500), .seconds(1), .seconds(2.5),
    ]

    public init() {
        batches = registry.makeValueHistogram(
            descriptor: Metrics.name("continuity_commit_batch_size", "Writes committed together in one transaction (group commit)."),
            labels: [], buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024])
        ProcessMetrics.register(on: self)
    }

    static func name(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    /// A gauge set to `read()` at each scrape.
    public func addGauge(_ name: String, help: String, labels: [(String, String)] = [],
                         _ read: @escaping @Sendable () -> Double) {
        let gauge = registry.makeGauge(descriptor: Metrics.name(name, help), labels: labels)
        readers.withLock { $0.append { gauge.set(read()) } }
    }

    /// A counter (`name` ends in `_total`) that follows `read()`, a count that only grows.
    public func addCounter(_ name: String, help: String, labels: [(String, String)] = [],
                           _ read: @escaping @Sendable () -> Double) {
        precondition(name.hasSuffix("_total"), "Prometheus counters end in _total")
        let counter = registry.makeCounter(descriptor: Metrics.name(name, help), labels: labels)
        let seen = Mutex<Double>(0)
        readers.withLock {
            $0.append {
                let now = read()
                let growth = seen.withLock { last -> Double in
                    defer { last = max(last, now) }
                    return now - last
                }
                if growth > 0 { counter.increment(by: growth) }
            }
        }
    }

    /// Gauges with one label whose values (and label values) are read at each scrape, e.g. the
    /// events each export consumer is behind.
    public func addLabeledGauges(_ name: String, help: String, label: String,
                                 _ read: @escaping @Sendable () -> [(String, Double)]) {
        let registry = self.registry
        readers.withLock {
            $0.append {
                for (value, number) in read() {
                    registry.makeGauge(descriptor: Metrics.name(name, help), labels: [(label, value)]).set(number)
                }
            }
        }
    }

    func record(route: String, method: String, status: Int, seconds: Double) {
        let key = route + " " + method + " " + String(status)
        let (counter, timer) = perRoute.withLock { cache in
            if let pair = cache[key] { return pair }
            let pair = (registry.makeCounter(
                            descriptor: Metrics.name("continuity_http_requests_total", "HTTP requests answered, by route pattern, method and status."),
                            labels: [("route", route), ("method", method), ("status", String(status))]),
                        registry.makeDurationHistogram(
                            descriptor: Metrics.name("continuity_http_request_duration_seconds", "Time from routing a request to its response, by route pattern."),
                            labels: [("route", route)], buckets: Metrics.latencyBuckets))
            cache[key] = pair
            return pair
        }
        counter.increment()
        timer.recordNanoseconds(Int64(seconds * 1e9))
    }

    /// Size of one group-commit batch.
    public func recordBatch(_ size: Int) {
        batches.record(Double(size))
    }

    public func render() -> String {
        for read in readers.withLock({ $0 }) { read() }
        return registry.emitToString()
    }
}
