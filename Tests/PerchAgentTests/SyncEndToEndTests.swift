import AsyncHTTPClient
import Foundation
import Logging
import PerchAgent
import PerchServer
import PerchWire
import ServiceLifecycle
import Testing

@Suite(.serialized, .takesTurns) struct SyncEndToEndTests {
    /// Polls `condition` until it holds (a generous bound guards against a hang; nothing is timed).
    static func eventually(_ what: String, _ condition: () async throws -> Bool) async throws {
        for _ in 0..<3000 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("never happened: \(what)")
        throw CancellationError()
    }

    /// Every sequence number stored for `deviceId`, ascending. (Not capped at the HTTP API's 1,000: a faster
    /// daemon produced more than that in `CrashTests`, and a capped count never grew.)
    static func storedSeqs(_ server: TestServer, deviceId: String) async throws -> [Int64] {
        var query = ResultStore.Query()
        query.deviceId = deviceId
        query.limit = 10_000_000
        return try await server.server.results.query(query).map(\.record.seq).sorted()
    }

    static func agentConfiguration(_ server: TestServer, frames: Int) throws -> AgentConfiguration {
        var configuration = try TestFrames.configuration(source: "dir:" + (try TestFrames.directory(count: frames)))
        configuration.sync.serverURL = server.url
        configuration.sync.enrollmentSecretFile = try server.secretFile()
        configuration.sync.batchSize = 7
        configuration.sync.intervalMs = 20
        configuration.sync.backoffInitialMs = 10
        configuration.sync.backoffMaxMs = 100
        configuration.sync.requestTimeoutMs = 10_000  // generous: tests run in parallel on a loaded machine
        configuration.sync.heartbeatIntervalS = 1
        return configuration
    }

    @Test(.enabled(if: TestPaths.catModelExists, "models/cat/cat_v1.tflite is absent"))
    func resultsFromADirectoryReachTheServerOnceEachAcrossAnOutage() async throws {
        let server = try TestServer()
        let configuration = try Self.agentConfiguration(server, frames: 40)
        let agent = try Agent(configuration: configuration, logger: Logger(label: "perch.agent.test"))
        let sync = try #require(agent.sync)
        let group = ServiceGroup(
            configuration: .init(services: agent.services(), logger: Logger(label: "perch.agent.test")))
        let running = Task { try await group.run() }

        // The server is down: inference goes on, everything is journaled, enrollment keeps retrying.
        try await Self.eventually("the source is drained and committed") {
            let snapshot = agent.pipeline.counters.snapshot
            let statistics = try agent.journal.statistics()
            return snapshot.finished && statistics.pending == 0 && statistics.rows == snapshot.results
        }
        try await Self.eventually("enrollment failed at least twice") { sync.status.failures >= 2 }
        let produced = agent.pipeline.counters.snapshot.results
        try #require(produced > 0)
        #expect(produced >= 1)
        #expect(sync.status.deviceId == nil)

        // The server comes up: the device enrolls once and uploads everything, in order, once.
        try await server.start()
        try await Self.eventually("the journal is drained") { try agent.journal.statistics().rows == 0 }
        let deviceId = try #require(sync.status.deviceId)
        #expect(try await Self.storedSeqs(server, deviceId: deviceId) == Array(1...produced))

        let tokenPath = DeviceCredentials.path(stateDirectory: configuration.device.stateDirectory)
        let attributes = try FileManager.default.attributesOfItem(atPath: tokenPath)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

        // Heartbeats arrive too.
        try await Self.eventually("a heartbeat is stored") { sync.status.heartbeats >= 1 }
        let devices = try await server.server.devices.list()
        #expect(devices.count == 1)
        // It reports the real free space of the state directory's file system and the slot state.
        let beat = try #require(devices.first?.lastHeartbeat)
        #expect(beat.freeDiskBytes > 0)
        #expect(beat.slotState == .committed)

        await group.triggerGracefulShutdown()
        try await running.value
        try await agent.shutdown()
        await server.stop()
    }

    @Test(.enabled(if: TestPaths.catModelExists, "models/cat/cat_v1.tflite is absent"))
    func aServerRestartMidwayLosesAndDuplicatesNothing() async throws {
        let server = try TestServer()
        try await server.start()
        var configuration = try Self.agentConfiguration(server, frames: 60)
        configuration.camera.framesPerSecond = 30
        let agent = try Agent(configuration: configuration, logger: Logger(label: "perch.agent.test"))
        let sync = try #require(agent.sync)
        let group = ServiceGroup(
            configuration: .init(services: agent.services(), logger: Logger(label: "perch.agent.test")))
        let running = Task { try await group.run() }

        try await Self.eventually("some batches are uploaded") { sync.status.batchesUploaded >= 1 }
        await server.stop()
        let failuresBefore = sync.status.failures
        try await Self.eventually("uploads fail while the server is down") { sync.status.failures > failuresBefore }
        try await server.start()
        try await Self.eventually("the source is drained and everything is acknowledged") {
            let snapshot = agent.pipeline.counters.snapshot
            let statistics = try agent.journal.statistics()
            return snapshot.finished && statistics.pending == 0 && statistics.rows == 0
        }
        let produced = agent.pipeline.counters.snapshot.results
        try #require(produced > 0)
        let deviceId = try #require(sync.status.deviceId)
        #expect(try await Self.storedSeqs(server, deviceId: deviceId) == Array(1...produced))
        // A batch stored just before the server stopped may lose its reply: the retry finds duplicates, so the
        // device's "accepted" count can be lower; what is stored is exactly 1...produced either way.
        #expect(sync.status.resultsAccepted <= produced)

        await group.triggerGracefulShutdown()
        try await running.value
        try await agent.shutdown()
        await server.stop()
    }

    @Test(.enabled(if: TestPaths.catModelExists, "models/cat/cat_v1.tflite is absent"))
    func batchesTheServerRefusesAsTooLargeAreSplit() async throws {
        var limits = ServerLimits()
        limits.maxResultsPerBatch = 2
        let server = try TestServer(limits: limits)
        try await server.start()
        let configuration = try Self.agentConfiguration(server, frames: 1)
        let agent = try Agent(configuration: configuration, logger: Logger(label: "perch.agent.test"))
        let sync = try #require(agent.sync)
        // Ten committed results before sync starts: the first batch (7) is over the server's limit (2).
        for index in 0..<10 { agent.journal.append(JournalTests.entry(at: Int64(index))) }
        try agent.journal.flush()
        let group = ServiceGroup(configuration: .init(services: [sync], logger: Logger(label: "perch.agent.test")))
        let running = Task { try await group.run() }
        try await Self.eventually("everything is acknowledged") { try agent.journal.statistics().rows == 0 }
        #expect(sync.status.failures >= 1)
        #expect(sync.status.lastError == nil)
        let deviceId = try #require(sync.status.deviceId)
        #expect(try await Self.storedSeqs(server, deviceId: deviceId) == Array(1...10))
        #expect(sync.status.batchesUploaded >= 5)
        await group.triggerGracefulShutdown()
        try await running.value
        try await agent.shutdown()
        await server.stop()
    }
}
