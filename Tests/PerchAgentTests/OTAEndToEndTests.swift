import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import PerchAgent
import PerchCapture
import PerchServer
import PerchWire
import ServiceLifecycle
import Testing

@Suite(.serialized, .takesTurns, .enabled(if: TestPaths.catModelExists, "models/cat/cat_v1.tflite is absent"))
struct OTAEndToEndTests {
    static let catV2 = TestPaths.repository.appendingPathComponent("models/cat/cat_v2.tflite").path

    /// Registers cat v2 and rolls it out to the whole fleet through the admin API.
    ///
    /// A failure threshold of 1 keeps the rollout active after a device reports a failure, so a device
    /// that polls again still sees the assignment (and must refuse it by itself).
    static func rollOutCatV2(_ server: TestServer, client: HTTPClient, failureThreshold: Double? = nil) async throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: catV2))
        var upload = HTTPClientRequest(
            url: server.url + "/api/v1/models/cat/v2?labels=non_cat,cat&mean=127.5&std=127.5"
                + "&decode=full&crop=center-crop&resize=box&quantization_table=round_half_away_from_zero%20float64")
        upload.method = .PUT
        upload.headers.add(name: "Authorization", value: "Bearer \(TestServer.adminToken)")
        upload.body = .bytes(ByteBuffer(bytes: bytes))
        let uploaded = try await client.execute(upload, timeout: .seconds(60))
        _ = try await uploaded.body.collect(upTo: 1 << 24)
        #expect(uploaded.status == .created)
        try await createRollout(server, client: client, failureThreshold: failureThreshold)
    }

    /// Creates a rollout of cat v2 to the whole fleet.
    static func createRollout(_ server: TestServer, client: HTTPClient, failureThreshold: Double? = nil) async throws {
        var rollout = HTTPClientRequest(url: server.url + "/api/v1/rollouts")
        rollout.method = .POST
        rollout.headers.add(name: "Authorization", value: "Bearer \(TestServer.adminToken)")
        rollout.headers.add(name: "Content-Type", value: "application/json")
        rollout.body = .bytes(
            ByteBuffer(
                bytes: try JSONEncoder().encode(
                    RolloutCreateRequest(
                        modelName: "cat", modelVersion: "v2", stages: [100], failureThreshold: failureThreshold))))
        let created = try await client.execute(rollout, timeout: .seconds(60))
        _ = try await created.body.collect(upTo: 1 << 20)
        #expect(created.status == .created)
    }

    /// An agent (looping frames, OTA on) enrolled with the server, its pipeline running.
    static func agent(_ server: TestServer, maxLatencyMs: Int = 600_000) async throws -> (Agent, AgentConfiguration) {
        var configuration = try SyncEndToEndTests.agentConfiguration(server, frames: 3)
        configuration.camera.loop = true
        configuration.camera.framesPerSecond = 50
        configuration.ota.enabled = true
        configuration.ota.fleetPublicKey = server.server.signingKey.publicKeyBase64
        configuration.ota.healthFrames = 5
        configuration.ota.maxLatencyMs = maxLatencyMs
        let agent = try Agent(configuration: configuration, logger: Logger(label: "perch.agent.test"))
        _ = try await #require(agent.sync).enrolledCredentials()
        agent.pipeline.start()
        return (agent, configuration)
    }

    /// One poll; a thrown error is recorded as an issue (returning `nil`) so the test still shuts its agent down
    /// (an `HTTPClient` released without `shutdown()` would crash the whole test process).
    static func poll(_ ota: OTAService) async -> OTAService.PollOutcome? {
        do {
            return try await ota.pollOnce()
        } catch {
            Issue.record("poll failed: \(error)")
            return nil
        }
    }

    static func stop(_ agent: Agent) async throws {
        agent.pipeline.stop()
        await agent.pipeline.waitUntilStopped()
        try await agent.shutdown()
    }

    @Test func anAssignedModelIsVerifiedActivatedHotSwappedAndCommitted() async throws {
        let server = try TestServer()
        try await server.start()
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        try await Self.rollOutCatV2(server, client: client)
        let (agent, configuration) = try await Self.agent(server)
        let ota = try #require(agent.ota)

        // An interrupted earlier download left the first 1000 bytes: only the rest is fetched.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.catV2))
        let sha = ModelVerifier.sha256Hex(bytes)
        try bytes.prefix(1000).write(to: URL(fileURLWithPath: agent.slots.stagingPath(sha256: sha)))

        #expect(await Self.poll(ota) == .committed("cat@v2"))
        #expect(ota.status.downloadedBytes == Int64(bytes.count - 1000))
        #expect(agent.pipeline.counters.snapshot.modelVersion == "v2")
        #expect(agent.pipeline.counters.snapshot.framesOnModel >= 5)
        #expect(ota.status.reports.map(\.outcome) == [.activated, .healthy])
        let state = try agent.slots.load()
        #expect(state.active?.version == "v2" && state.probation == false)
        // The manifest's preprocessing is kept with the slot: a restart feeds the model the same way.
        #expect(state.active?.preprocessing?.resize == "box" && state.active?.preprocessing?.decode == "full")
        #expect(FileManager.default.fileExists(atPath: agent.slots.modelPath(sha256: sha)))
        // The same assignment again: 304 Not Modified.
        #expect(await Self.poll(ota) == .unchanged)
        try await Self.stop(agent)

        // A restart runs the committed model.
        let restarted = try Agent(configuration: configuration, logger: Logger(label: "perch.agent.test"))
        let booted = try restarted.slots.bootModel(factory: try ModelPackage.factory(configuration)).0
        #expect(booted.version == "v2")
        #expect(booted.recipe.options.filter == .box && booted.recipe.options.decodeAtScale == false)
        try await restarted.shutdown()
        try await client.shutdown()
        await server.stop()
    }

    @Test func aModelThatBreaksTheLatencyBoundIsRolledBackAndNeverRetried() async throws {
        let server = try TestServer()
        try await server.start()
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        try await Self.rollOutCatV2(server, client: client)
        // A bound of 0 ms: any real inference breaks it.
        let (agent, configuration) = try await Self.agent(server, maxLatencyMs: 0)
        let ota = try #require(agent.ota)
        guard case .rolledBack(.unhealthy(let why)) = await Self.poll(ota) else {
            Issue.record("expected a rollback")
            return
        }
        #expect(why.contains("latency"))
        #expect(ota.status.reports.map(\.outcome) == [.activated, .rolledBack])
        try await SyncEndToEndTests.eventually("the factory model runs again") {
            agent.pipeline.counters.snapshot.modelVersion == "v1"
        }
        let state = try agent.slots.load()
        #expect(state.active == nil && state.failed == ["cat@v2"])
        try await Self.stop(agent)

        // The server no longer assigns it to this device; an admin rolling the same version out again does,
        // and another daemon start (no ETag) refuses it by itself.
        var abort = HTTPClientRequest(url: server.url + "/api/v1/rollouts/1/abort")
        abort.method = .POST
        abort.headers.add(name: "Authorization", value: "Bearer \(TestServer.adminToken)")
        let aborted = try await client.execute(abort, timeout: .seconds(60))
        _ = try await aborted.body.collect(upTo: 1 << 20)
        #expect(aborted.status == .ok)
        try await Self.createRollout(server, client: client)
        let restarted = try Agent(configuration: configuration, logger: Logger(label: "perch.agent.test"))
        let outcome = try await #require(restarted.ota).pollOnce()
        #expect(outcome == .skippedFailedVersion("cat@v2"))
        try await restarted.shutdown()
        try await client.shutdown()
        await server.stop()
    }
}

@Suite struct ModelSlotsTests {
    @Test func aRestartInsideTheHealthWindowRollsBack() throws {
        let directory = try TestPaths.temporaryDirectory()
        let slots = try ModelSlots(stateDirectory: directory.path)
        let bytes: [UInt8] = Array("not really a model".utf8)
        let sha = ModelVerifier.sha256Hex(bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: slots.stagingPath(sha256: sha)))
        try slots.install(stagedSHA256: sha)
        var state = ModelSlots.State()
        state.active = .init(name: "m", version: "2", sha256: sha, labels: [], mean: 0, std: 1, rolloutId: 7)
        state.probation = true
        try slots.save(state)

        let factory = ModelPackage(
            bytes: [1, 2, 3], name: "factory", version: "1", labels: [],
            normalization: PerchCapture.Normalization.zeroToOne)
        let (model, after) = try slots.bootModel(factory: factory)
        #expect(model == factory)
        #expect(after.active == nil && after.probation == false && after.failed == ["m@2"])
        #expect(
            after.pendingReport
                == ActivationReport(
                    rolloutId: 7, outcome: .rolledBack, detail: "daemon restarted inside the health window"))
        #expect(try slots.load() == after)

        // A committed slot survives restarts and its file is re-checked.
        state.probation = false
        try slots.save(state)
        #expect(try slots.bootModel(factory: factory).0.version == "2")
        try Data("corrupted".utf8).write(to: URL(fileURLWithPath: slots.modelPath(sha256: sha)))
        #expect(try slots.bootModel(factory: factory).0 == factory)
    }
}
