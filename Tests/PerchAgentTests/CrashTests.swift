import Foundation
import Logging
import PerchAgent
import PerchServer
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `kill -9` of a real `perchd` child at random moments, over and over, against the real server.
@Suite(.serialized, .takesTurns) struct CrashTests {
    /// `perchd` next to the test bundle (`swift build --build-tests` builds it).
    static let perchd: String? = {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [directory, directory.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("perchd").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }()

    static var ready: Bool { perchd != nil && TestPaths.catModelExists }

    static func configurationText(_ server: TestServer, state: String, frames: String, ota: Bool) throws -> String {
        """
        [device]
        board = "generic-linux"
        hardware_id = "crash-test-device"
        state_dir = "\(state)"
        [camera]
        source = "dir:\(frames)"
        fps = 40.0
        loop = true
        [model]
        path = "\(TestPaths.catModel)"
        [journal]
        commit_interval_ms = 25
        [sync]
        server_url = "\(server.url)"
        enrollment_secret_file = "\(try server.secretFile())"
        batch_size = 13
        interval_ms = 20
        backoff_initial_ms = 10
        backoff_max_ms = 100
        heartbeat_interval_s = 1
        [ota]
        enabled = \(ota)
        poll_interval_s = 1
        fleet_public_key = "\(server.server.signingKey.publicKeyBase64)"
        health_frames = 15
        [health]
        enabled = false
        [thermal]
        temperature_path = ""
        throttle_path = ""
        throttled_fps = 1.0
        [logging]
        level = "warning"
        """
    }

    /// Starts `perchd --config config`, its stderr (the log) into `log` when given.
    static func launch(_ config: String, log: FileHandle? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(perchd))
        process.arguments = ["--config", config]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = log ?? FileHandle.nullDevice
        try process.run()
        return process
    }

    @Test(.enabled(if: ready, "perchd is not built next to the tests, or models/cat is absent"))
    func killNineAtRandomMomentsLosesAndDuplicatesNothingAndKeepsAValidModel() async throws {
        let server = try TestServer()
        try await server.start()
        // A rollout of cat v2 makes some kills land in download, verification, activation or the health window.
        let client = HTTPClientHolder()
        try await OTAEndToEndTests.rollOutCatV2(server, client: client.client)
        try await client.shutdown()

        let state = try TestPaths.temporaryDirectory("perchd-crash").path
        let config = try TestPaths.temporaryDirectory("perchd-crash-config").appendingPathComponent("perchd.toml").path
        try Data(
            try Self.configurationText(server, state: state, frames: try TestFrames.directory(count: 4), ota: true).utf8
        ).write(to: URL(fileURLWithPath: config))
        #expect(ConfigurationLoader.check(path: config).1.isEmpty)

        var generator = SystemRandomNumberGenerator()
        let kills = 50
        for _ in 0..<kills {
            let process = try Self.launch(config)
            try await Task.sleep(for: .milliseconds(Int.random(in: 30...1500, using: &generator)))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal)
            try Self.expectValidModel(stateDirectory: state)
        }

        // A last, clean run uploads new results (so it is up and its signal handlers are in place), then SIGTERM
        // stops it gracefully.
        func storedCount() async throws -> Int {
            guard let credentials = try DeviceCredentials.load(stateDirectory: state) else { return 0 }
            return try await SyncEndToEndTests.storedSeqs(server, deviceId: credentials.deviceId).count
        }
        let before = try await storedCount()
        let logURL = try TestPaths.temporaryDirectory("perchd-crash-log").appendingPathComponent("perchd.log")
        FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let process = try Self.launch(config, log: try FileHandle(forWritingTo: logURL))
        let journalPath = state + "/journal.sqlite"
        func logTail() -> String {
            let text = (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").suffix(20).joined(separator: "\n")
        }
        do {
            try await SyncEndToEndTests.eventually("the last run uploads results (or exits)") {
                if !process.isRunning { return true }
                return try await storedCount() > before
            }
        } catch {
            kill(process.processIdentifier, SIGKILL)
            Issue.record("the last run's log (\(logURL.path)):\n\(logTail())")
            throw error
        }
        guard process.isRunning else {
            Issue.record(
                "the last run exited (status \(process.terminationStatus)) before uploading; its log:\n\(logTail())")
            await server.stop()
            return
        }
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)

        // Drain what the last run committed at shutdown with an in-process uploader.
        var configuration = try ConfigurationLoader.load(path: config)
        configuration.ota.enabled = false
        let agent = try Agent(configuration: configuration, logger: .init(label: "perch.agent.test"))
        let sync = try #require(agent.sync)
        let credentials = try await sync.enrolledCredentials()
        while try await sync.uploadOnce(credentials) > 0 {}
        let journal = try agent.journal.statistics()
        #expect(journal.rows == 0)
        #expect(journal.evictedResults == 0 && journal.evictedEvents == 0)

        // Every sequence number the device ever committed is on the server exactly once, with no gap.
        let stored = try await SyncEndToEndTests.storedSeqs(server, deviceId: credentials.deviceId)
        #expect(!stored.isEmpty)
        #expect(stored == Array(1...(journal.nextSeq - 1)), "journal \(journalPath)")
        #expect(Set(stored).count == stored.count)
        try Self.expectValidModel(stateDirectory: state)
        // The rollout reached the device: v2 was either committed or refused/rolled back for good.
        let slotState = try ModelSlots(stateDirectory: state).load()
        #expect(slotState.active?.version == "v2" || slotState.failed == ["cat@v2"], "\(slotState)")
        try await agent.shutdown()
        await server.stop()
    }

    /// The model the daemon would boot is valid: `slots.json` decodes and names a file whose hash matches.
    static func expectValidModel(stateDirectory: String) throws {
        let slots = try ModelSlots(stateDirectory: stateDirectory)
        let slotState = try slots.load()
        if let active = slotState.active {
            let package = slots.package(active)
            #expect(package != nil, "active slot \(active.version) has no valid file")
        }
    }
}
