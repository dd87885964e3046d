import CoreMetrics
import Foundation
import Prometheus

/// The server's Prometheus metrics, in a registry owned by the server (no global bootstrap needed).
///
/// Dimensions are bounded: route templates (never raw paths), methods, status codes and rollout states.
public final class ServerMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let resultsAccepted: CoreMetrics.Counter
    private let resultsDuplicate: CoreMetrics.Counter
    private let batches: CoreMetrics.Counter

    /// Creates the metrics with a fresh registry.
    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
        ]
        self.factory = factory
        resultsAccepted = Counter(label: "perch_results_ingested_total", factory: factory)
        resultsDuplicate = Counter(label: "perch_results_duplicate_total", factory: factory)
        batches = Counter(label: "perch_result_batches_total", factory: factory)
    }

    /// Records one finished HTTP request.
    func requestFinished(route: String, method: String, status: Int, duration: Duration) {
        let dimensions = [("route", route), ("method", method), ("status", String(status))]
        Counter(label: "perch_http_requests_total", dimensions: dimensions, factory: factory).increment()
        Timer(
            label: "perch_http_request_duration_seconds", dimensions: [("route", route), ("method", method)],
            factory: factory
        ).recordNanoseconds(duration.nanoseconds)
    }

    /// Records an ingested batch.
    func batchIngested(accepted: Int, duplicates: Int) {
        batches.increment()
        resultsAccepted.increment(by: accepted)
        resultsDuplicate.increment(by: duplicates)
    }

    /// Sets the gauges computed from the database at scrape time.
    func setFleetState(
        devicesOnline: Int, devicesTotal: Int, devicesThrottled: Int, maxSyncLagSeconds: Double,
        rollouts: [String: Int]
    ) {
        Gauge(label: "perch_devices_online", factory: factory).record(devicesOnline)
        Gauge(label: "perch_devices_enrolled", factory: factory).record(devicesTotal)
        Gauge(label: "perch_devices_throttled", factory: factory).record(devicesThrottled)
        Gauge(label: "perch_fleet_max_sync_lag_seconds", factory: factory).record(maxSyncLagSeconds)
        for (state, count) in rollouts {
            Gauge(label: "perch_rollouts", dimensions: [("state", state)], factory: factory).record(count)
        }
    }

    /// The Prometheus text exposition of every metric.
    public func render() -> String {
        registry.emitToString()
    }
}

extension Duration {
    /// The duration in whole nanoseconds (saturating).
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds.multipliedReportingOverflow(by: 1_000_000_000).partialValue + attoseconds / 1_000_000_000
    }
}
