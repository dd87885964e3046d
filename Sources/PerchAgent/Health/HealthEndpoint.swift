import Foundation
import Logging
import NIOHTTP1

/// `/healthz` and `/metrics` (Prometheus text format) for a running ``Agent``, on loopback by default.
public enum HealthEndpoint {
    /// The answer to `GET path`: `/healthz` is 200 when live and ready, 503 with the reasons otherwise;
    /// `/metrics` is Prometheus text; anything else is 404.
    public static func response(to path: String, agent: Agent) -> HealthResponse {
        switch path {
        case "/healthz":
            let (ready, reasons) = readiness(agent)
            let body = (ready ? "ok" : "not ready") + reasons.map { "\n" + $0 }.joined() + "\n"
            return HealthResponse(status: ready ? .ok : .serviceUnavailable, body: body)
        case "/metrics":
            return HealthResponse(status: .ok, contentType: "text/plain; version=0.0.4", body: metrics(agent))
        default:
            return HealthResponse(status: .notFound, body: "not found: /healthz and /metrics are served here\n")
        }
    }

    /// The server bound to `health.listen` (already validated as host:port by the configuration).
    public static func server(
        for agent: Agent, logger: Logger, bound: (@Sendable (_ port: Int) -> Void)? = nil
    ) -> HealthServer {
        // The configuration was checked when loaded; an unparsable address fails at bind and names it.
        let address = agent.configuration.health.address ?? (agent.configuration.health.listen, -1)
        return HealthServer(host: address.host, port: address.port, logger: logger, bound: bound) { _, path in
            response(to: path, agent: agent)
        }
    }

    /// Readiness and its reasons (empty when ready). Liveness is answering at all.
    public static func readiness(_ agent: Agent) -> (Bool, [String]) {
        let snapshot = agent.pipeline.counters.snapshot
        var reasons: [String] = []
        if let failure = snapshot.failure { reasons.append("pipeline: \(failure)") }
        if snapshot.modelName.isEmpty { reasons.append("model: not loaded yet") }
        if snapshot.sourceEnded { reasons.append("source: ended") }
        if (try? agent.journal.statistics()) == nil { reasons.append("journal: unreadable") }
        if let error = agent.sync?.status.lastError { reasons.append("sync: \(error)") }
        // Sync trouble is reported but does not make the device unready: offline is its normal state.
        let blocking = reasons.filter { !$0.hasPrefix("sync:") }
        return (blocking.isEmpty, reasons)
    }

    /// Every metric in Prometheus text exposition format 0.0.4.
    public static func metrics(_ agent: Agent) -> String {
        let snapshot = agent.pipeline.counters.snapshot
        let journal = (try? agent.journal.statistics()) ?? JournalStatistics()
        let settings = agent.control.settings
        var out = ""
        func metric(_ name: String, _ type: String, _ help: String, _ samples: [(String, String)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for (labels, value) in samples { out += "\(name)\(labels) \(value)\n" }
        }
        metric("perch_frames_captured_total", "counter", "Frames the source delivered.", [("", "\(snapshot.captured)")])
        metric(
            "perch_frames_dropped_total", "counter", "Frames dropped because inference was busy.",
            [("", "\(snapshot.dropped)")])
        metric("perch_frames_inferred_total", "counter", "Frames inferred.", [("", "\(snapshot.inferred)")])
        metric(
            "perch_capture_errors_total", "counter", "Capture or preprocessing errors.",
            [("", "\(snapshot.captureErrors)")])
        var cumulative: Int64 = 0
        var buckets: [(String, String)] = []
        for (index, bound) in PipelineSnapshot.latencyBucketsMs.enumerated() {
            cumulative += snapshot.latencyBuckets[index]
            buckets.append(("{le=\"\(bound / 1000)\"}", "\(cumulative)"))
        }
        cumulative += snapshot.latencyBuckets.last ?? 0
        buckets.append(("{le=\"+Inf\"}", "\(cumulative)"))
        out += "# HELP perch_inference_duration_seconds Inference latency.\n"
        out += "# TYPE perch_inference_duration_seconds histogram\n"
        for (labels, value) in buckets { out += "perch_inference_duration_seconds_bucket\(labels) \(value)\n" }
        out += "perch_inference_duration_seconds_sum \(snapshot.totalLatencyMs / 1000)\n"
        out += "perch_inference_duration_seconds_count \(snapshot.inferred)\n"
        metric("perch_journal_rows", "gauge", "Rows waiting in the journal.", [("", "\(journal.rows)")])
        metric("perch_journal_bytes", "gauge", "Bytes charged for the journal's rows.", [("", "\(journal.bytes)")])
        metric(
            "perch_journal_evictions_total", "counter", "Rows evicted because the journal was full.",
            [("{kind=\"result\"}", "\(journal.evictedResults)"), ("{kind=\"event\"}", "\(journal.evictedEvents)")])
        metric(
            "perch_journal_written_bytes_today", "gauge", "Bytes written to storage today (UTC), SD wear.",
            [("", "\(journal.bytesWrittenToday)")])
        metric(
            "perch_journal_written_bytes_total", "counter", "Bytes written to storage by the journal.",
            [("", "\(journal.bytesWrittenTotal)")])
        let lag = journal.oldestCapturedAtMs.map { max(0, Double(Clocks.wallMilliseconds() - $0) / 1000) } ?? 0
        metric("perch_sync_lag_seconds", "gauge", "Age of the oldest unsynced result.", [("", "\(lag)")])
        if let sync = agent.sync?.status {
            metric("perch_sync_failures_total", "counter", "Failed sync requests.", [("", "\(sync.failures)")])
            metric(
                "perch_sync_results_uploaded_total", "counter", "Results the server newly stored.",
                [("", "\(sync.resultsAccepted)")])
        }
        metric(
            "perch_model_info", "gauge", "The running model.",
            [("{name=\"\(escape(snapshot.modelName))\",version=\"\(escape(snapshot.modelVersion))\"}", "1")])
        if let celsius = agent.thermal.lastReading.temperatureCelsius {
            metric("perch_soc_temperature_celsius", "gauge", "SoC temperature.", [("", "\(celsius)")])
        }
        metric("perch_throttled", "gauge", "1 while the frame rate is lowered.", [("", settings.throttled ? "1" : "0")])
        return out
    }

    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
