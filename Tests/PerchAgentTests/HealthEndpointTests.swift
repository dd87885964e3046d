import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import PerchAgent
import ServiceLifecycle
import Synchronization
import Testing

@Suite(.enabled(if: TestPaths.catModelExists, "models/cat/cat_v1.tflite is absent"))
struct HealthEndpointTests {
    /// An answer as a client sees it.
    struct Answer {
        var status: UInt
        var contentType: String?
        var body: String
    }

    static func get(_ client: HTTPClient, _ port: Int, _ path: String, method: HTTPMethod = .GET) async throws
        -> Answer
    {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        let response = try await client.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        return Answer(
            status: response.status.code, contentType: response.headers.first(name: "Content-Type"),
            body: String(buffer: body))
    }

    /// Runs the agent's health server on a free loopback port around `body`, then stops it gracefully.
    static func serving(_ agent: Agent, _ body: (_ port: Int) async throws -> Void) async throws {
        let port = Mutex<Int?>(nil)
        let server = HealthEndpoint.server(
            for: agent, logger: Logger(label: "perch.health.test"), bound: { bound in port.withLock { $0 = bound } })
        let group = ServiceGroup(
            configuration: .init(services: [.init(service: server)], logger: Logger(label: "perch.health.test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await SyncEndToEndTests.eventually("the health server listens") { port.withLock { $0 } != nil }
            do {
                try await body(try #require(port.withLock { $0 }))
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test func healthzAndMetricsDescribeTheRunningAgent() async throws {
        var configuration = try TestFrames.configuration(source: "dir:" + (try TestFrames.directory(count: 5)))
        configuration.camera.loop = true
        configuration.health.listen = "127.0.0.1:0"
        let agent = try Agent(configuration: configuration, logger: Logger(label: "perch.agent.test"))
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            try await Self.serving(agent) { port in
                let before = try await Self.get(client, port, "/healthz")
                #expect(before.status == 503)
                #expect(before.body.contains("model: not loaded yet"))
                #expect(before.contentType == "text/plain; charset=utf-8")

                agent.pipeline.start()
                try await SyncEndToEndTests.eventually("ten frames are inferred") {
                    agent.pipeline.counters.snapshot.inferred >= 10
                }
                let ready = try await Self.get(client, port, "/healthz?verbose=1")
                #expect(ready.status == 200)
                #expect(ready.body == "ok\n")

                agent.pipeline.stop()
                await agent.pipeline.waitUntilStopped()
                try agent.journal.flush()
                let snapshot = agent.pipeline.counters.snapshot
                let metrics = try await Self.get(client, port, "/metrics")
                #expect(metrics.contentType == "text/plain; version=0.0.4")
                let text = metrics.body
                #expect(text.contains("perch_frames_captured_total \(snapshot.captured)\n"))
                #expect(text.contains("perch_frames_dropped_total \(snapshot.dropped)\n"))
                #expect(text.contains("perch_inference_duration_seconds_count \(snapshot.inferred)\n"))
                #expect(text.contains("perch_inference_duration_seconds_bucket{le=\"+Inf\"} \(snapshot.inferred)\n"))
                #expect(text.contains("perch_journal_rows \(snapshot.results + snapshot.events)\n"))
                #expect(text.contains("perch_model_info{name=\"cat\",version=\"v1\"} 1\n"))
                #expect(text.contains("perch_throttled 0\n"))
                #expect(text.contains("perch_journal_evictions_total{kind=\"event\"} 0\n"))

                // HEAD has the headers and no body; other paths and methods get clear errors.
                let head = try await Self.get(client, port, "/metrics", method: .HEAD)
                #expect(head.status == 200 && head.body.isEmpty)
                let missing = try await Self.get(client, port, "/status")
                #expect(missing.status == 404 && missing.body.contains("/healthz"))
                let post = try await Self.get(client, port, "/healthz", method: .POST)
                #expect(post.status == 405)
            }
        } catch {
            try? await client.shutdown()
            try? await agent.shutdown()
            throw error
        }
        try await client.shutdown()
        try await agent.shutdown()
    }

    @Test func aBusyPortIsAnErrorNamingIt() async throws {
        var configuration = try TestFrames.configuration(source: "dir:" + (try TestFrames.directory(count: 1)))
        configuration.health.listen = "127.0.0.1:0"
        let agent = try Agent(configuration: configuration, logger: Logger(label: "perch.agent.test"))
        try await Self.serving(agent) { port in
            let second = HealthServer(host: "127.0.0.1", port: port, logger: Logger(label: "perch.health.test")) {
                _, _ in HealthResponse(status: .ok, body: "")
            }
            let error = await #expect(throws: HealthServerError.self) { try await second.run() }
            #expect(error?.address == "127.0.0.1:\(port)")
            #expect(error?.description.contains("health.listen") == true)
        }
        try await agent.shutdown()
    }
}
