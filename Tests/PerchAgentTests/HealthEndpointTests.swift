import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PerchAgent
import Testing

@Suite(.enabled(if: TestPaths.catModelExists, "models/cat/cat_v1.tflite is absent"))
struct HealthEndpointTests {
    @Test func healthzAndMetricsDescribeTheRunningAgent() async throws {
        var configuration = try TestFrames.configuration(source: "dir:" + (try TestFrames.directory(count: 5)))
        configuration.camera.loop = true
        let agent = try Agent(configuration: configuration, logger: Logger(label: "perch.agent.test"))
        let app = Application(router: HealthEndpoint.router(for: agent))
        try await app.test(.router) { client in
            let before = try await client.execute(uri: "/healthz", method: .get)
            #expect(before.status == .serviceUnavailable)
            #expect(String(buffer: before.body).contains("model: not loaded yet"))

            agent.pipeline.start()
            try await SyncEndToEndTests.eventually("ten frames are inferred") {
                agent.pipeline.counters.snapshot.inferred >= 10
            }
            let ready = try await client.execute(uri: "/healthz", method: .get)
            #expect(ready.status == .ok)
            #expect(String(buffer: ready.body) == "ok\n")

            agent.pipeline.stop()
            await agent.pipeline.waitUntilStopped()
            try agent.journal.flush()
            let snapshot = agent.pipeline.counters.snapshot
            let text = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(text.contains("perch_frames_captured_total \(snapshot.captured)\n"))
            #expect(text.contains("perch_frames_dropped_total \(snapshot.dropped)\n"))
            #expect(text.contains("perch_inference_duration_seconds_count \(snapshot.inferred)\n"))
            #expect(text.contains("perch_inference_duration_seconds_bucket{le=\"+Inf\"} \(snapshot.inferred)\n"))
            #expect(text.contains("perch_journal_rows \(snapshot.results + snapshot.events)\n"))
            #expect(text.contains("perch_model_info{name=\"cat\",version=\"v1\"} 1\n"))
            #expect(text.contains("perch_throttled 0\n"))
            #expect(text.contains("perch_journal_evictions_total{kind=\"event\"} 0\n"))
        }
        try await agent.shutdown()
    }
}
