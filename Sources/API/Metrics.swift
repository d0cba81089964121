import CoreMetrics
import Prometheus
import Synchronization

/// `/metrics` (SPEC §4): swift-metrics' CoreMetrics API over a swift-prometheus registry of
/// this application's own (no global bootstrap, so tests can run many applications in one
/// process). Requests by route and status, a latency histogram, commit batch sizes, and
/// gauges read when scraped (open connections, writes committed, open alerts).
public final class Metrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let factory: PrometheusMetricsFactory
    /// Gauges: the swift-metrics gauge and the reader that sets it at scrape time.
    private let gauges = Mutex<[(CoreMetrics.Gauge, @Sendable () -> Double)]>([])
    /// The metric objects per label set, made once (creating them goes through the factory's
    /// registry lock each time).
    private let perRoute = Mutex<[String: (CoreMetrics.Counter, CoreMetrics.Timer)]>([:])

    static let requests = "continuity_http_requests_total"
    static let latency = "continuity_http_request_duration_seconds"
    static let batches = "continuity_commit_batch_size"

    public init() {
        var f = PrometheusMetricsFactory(registry: registry)
        f.durationHistogramBuckets[Metrics.latency] = [
            .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
            .milliseconds(10), .milliseconds(20), .milliseconds(50), .milliseconds(100), .milliseconds(250),
            .milliseconds(500), .seconds(1), .seconds(2.5),
        ]
        f.valueHistogramBuckets[Metrics.batches] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]
        factory = f
    }

    public func addGauge(_ name: String, _ read: @escaping @Sendable () -> Double) {
        let gauge = CoreMetrics.Gauge(label: name, factory: factory)
        gauges.withLock { $0.append((gauge, read)) }
    }

    func record(route: String, method: String, status: Int, seconds: Double) {
        let key = route + " " + method + " " + String(status)
        let (counter, timer) = perRoute.withLock { cache in
            if let pair = cache[key] { return pair }
            let pair = (CoreMetrics.Counter(label: Metrics.requests,
                                            dimensions: [("route", route), ("method", method), ("status", String(status))],
                                            factory: factory),
                        CoreMetrics.Timer(label: Metrics.latency, dimensions: [("route", route)], factory: factory))
            cache[key] = pair
            return pair
        }
        counter.increment()
        timer.recordNanoseconds(Int64(seconds * 1e9))
    }

    /// Size of one group-commit batch.
    public func recordBatch(_ size: Int) {
        CoreMetrics.Recorder(label: Metrics.batches, factory: factory).record(size)
    }

    public func render() -> String {
        for (gauge, read) in gauges.withLock({ $0 }) { gauge.record(read()) }
        return registry.emitToString()
    }
}
