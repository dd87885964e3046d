import AsyncHTTPClient
import Foundation
import Logging
import PerchAgent
import PerchServer
import Testing

/// The daemon against a real server behind a proxy that injects field faults: 5xx answers, a stalled server,
/// a download cut in the middle. Nothing is lost, nothing is half-installed, and it recovers once the fault goes.
@Suite(.serialized, .takesTurns, .enabled(if: TestPaths.catModelExists, "models/cat/cat_v1.tflite is absent"))
struct FaultInjectionTests {
    /// An agent talking to `server` through `proxy`, OTA on, looping frames.
    static func agent(_ server: TestServer, through proxy: FaultProxy, frames: Int, loop: Bool = false) throws -> Agent
    {
        var configuration = try SyncEndToEndTests.agentConfiguration(server, frames: frames)
        configuration.camera.loop = loop
        configuration.sync.serverURL = proxy.url
        configuration.ota.enabled = true
        configuration.ota.fleetPublicKey = server.server.signingKey.publicKeyBase64
        configuration.ota.healthFrames = 5
        configuration.ota.maxLatencyMs = 600_000
        return try Agent(configuration: configuration, logger: Logger(label: "perch.agent.test"))
    }

    /// Runs `body`, then shuts the agent's HTTP client down whether or not `body` threw (an `HTTPClient`
    /// released without `shutdown()` crashes the whole test process).
    static func shuttingDown(_ agent: Agent, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            agent.pipeline.stop()
            await agent.pipeline.waitUntilStopped()
            try? await agent.shutdown()
            throw error
        }
        try await agent.shutdown()
    }

    /// Enrolls, retrying a failed attempt a few times as the sync loop would (a request can time out while the
    /// whole test suite loads the machine).
    static func enroll(_ sync: SyncService) async throws -> DeviceCredentials {
        for _ in 0..<4 {
            if let credentials = try? await sync.enrolledCredentials() { return credentials }
        }
        return try await sync.enrolledCredentials()
    }

    @Test func resultUploadsSurviveA503AndAStalledServerAndArriveOnce() async throws {
        let server = try TestServer()
        try await server.start()
        let proxy = try FaultProxy(upstreamPort: server.port)
        defer { proxy.close() }
        let agent = try Self.agent(server, through: proxy, frames: 12)
        try await Self.shuttingDown(agent) {
            let sync = try #require(agent.sync)
            let credentials = try await sync.enrolledCredentials()
            agent.pipeline.start()
            try await SyncEndToEndTests.eventually("the source is drained") {
                agent.pipeline.counters.snapshot.finished
            }
            agent.pipeline.stop()
            await agent.pipeline.waitUntilStopped()
            _ = try agent.journal.flush()
            // Frames may be dropped for load (newest frame wins): everything below compares with what was produced.
            let produced = agent.pipeline.counters.snapshot.results + agent.pipeline.counters.snapshot.events
            try #require(produced > 0)
            #expect(try agent.journal.statistics().rows == produced)

            proxy.inject { $0.contains("/device/results") ? .status(503) : .none }
            await #expect(throws: (any Error).self) { _ = try await sync.uploadOnce(credentials) }
            #expect(try agent.journal.statistics().rows == produced)

            // A server that accepts the connection and never answers: the request times out
            // (sync.request_timeout_ms, 10 s here).
            proxy.inject { $0.contains("/device/results") ? .stall : .none }
            await #expect(throws: (any Error).self) { _ = try await sync.uploadOnce(credentials) }
            #expect(try agent.journal.statistics().rows == produced)
            #expect(try await SyncEndToEndTests.storedSeqs(server, deviceId: credentials.deviceId).isEmpty)

            // The fault goes: uploads resume (retried like the sync loop would, should a request still time out on a
            // loaded machine) and every result arrives exactly once.
            proxy.inject { _ in .none }
            var uploaded = 0
            try await SyncEndToEndTests.eventually("the journal is drained") {
                if let count = try? await sync.uploadOnce(credentials) { uploaded += count }
                return try agent.journal.statistics().rows == 0
            }
            #expect(Int64(uploaded) == produced)
            #expect(
                try await SyncEndToEndTests.storedSeqs(server, deviceId: credentials.deviceId) == Array(1...produced))
        }
        await server.stop()
    }

    @Test func aModelDownloadCutMidwayResumesAndA503ChangesNothing() async throws {
        let server = try TestServer()
        try await server.start()
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        try await OTAEndToEndTests.rollOutCatV2(server, client: client)
        let proxy = try FaultProxy(upstreamPort: server.port)
        defer { proxy.close() }
        let agent = try Self.agent(server, through: proxy, frames: 3, loop: true)
        try await Self.shuttingDown(agent) {
            let ota = try #require(agent.ota)
            _ = try await Self.enroll(try #require(agent.sync))
            agent.pipeline.start()
            try await SyncEndToEndTests.eventually("the factory model runs") {
                agent.pipeline.counters.snapshot.modelVersion == "v1"
            }
            let size = try Data(contentsOf: URL(fileURLWithPath: OTAEndToEndTests.catV2)).count

            // The assignment endpoint fails: nothing changes on the device.
            proxy.inject { $0.contains("/device/assignment") ? .status(503) : .none }
            await #expect(throws: (any Error).self) { _ = try await ota.pollOnce() }
            #expect(try agent.slots.load().active == nil)
            #expect(agent.pipeline.counters.snapshot.modelVersion == "v1")

            // The blob download is cut after 20 kB: the partial file stays in staging, nothing is installed.
            // (On a loaded machine the client may fail the body before handing over what it had buffered; the cut
            // is then tried again, at most 5 times, until some bytes were saved.)
            proxy.inject { $0.contains("/blob") ? .cutAfter(20_000) : .none }
            for _ in 0..<5 where ota.status.downloadedBytes == 0 {
                await #expect(throws: (any Error).self) { _ = try await ota.pollOnce() }
            }
            let partial = ota.status.downloadedBytes
            #expect(partial > 0 && partial < Int64(size))
            #expect(try agent.slots.load().active == nil)
            #expect(agent.pipeline.counters.snapshot.modelVersion == "v1")

            // The blob endpoint answers 503: still nothing installed, the partial file kept. (The assignment is asked
            // for again in full: a failed download does not leave an ETag that would make it "Not Modified".)
            proxy.inject { $0.contains("/blob") ? .status(503) : .none }
            await #expect(throws: (any Error).self) { _ = try await ota.pollOnce() }
            #expect(ota.status.downloadedBytes == partial)

            // The fault goes: the download resumes where it stopped (only the rest is fetched) and v2 is committed.
            proxy.inject { _ in .none }
            #expect(await OTAEndToEndTests.poll(ota) == .committed("cat@v2"))
            #expect(ota.status.downloadedBytes == Int64(size))
            #expect(agent.pipeline.counters.snapshot.modelVersion == "v2")
            agent.pipeline.stop()
            await agent.pipeline.waitUntilStopped()
        }
        try await client.shutdown()
        await server.stop()
    }
}
