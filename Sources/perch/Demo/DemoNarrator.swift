import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PerchAgent
import PerchServer
import PerchWire
import ServiceLifecycle
import Synchronization

/// The demo's script, run as the last service of the group: it watches the server and the device, pushes the
/// second model like an operator would, and prints what happens in words a newcomer follows.
final class DemoNarrator: Service, Sendable {
    let setup: DemoSetup
    let fleet: DemoFleet
    let say: @Sendable (String) -> Void
    private let outcome = Mutex<DemoSummary?>(nil)

    /// What the run showed, once the scripted part is over.
    var summary: DemoSummary? { outcome.withLock { $0 } }

    /// Creates the narrator; `say` prints one line.
    init(setup: DemoSetup, fleet: DemoFleet, say: @escaping @Sendable (String) -> Void) {
        self.setup = setup
        self.fleet = fleet
        self.say = say
    }

    /// Runs the script; in interactive mode then keeps printing detections until graceful shutdown (Ctrl-C).
    func run() async throws {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            var feed = ResultFeed()
            if try await script(client: client, feed: &feed), setup.interactive {
                say("")
                say(
                    "Still running: detections keep arriving. Dashboard: \(setup.serverURL)/   Ctrl-C stops everything."
                )
                while !Task.isShuttingDownGracefully {
                    try await printArrivals(&feed)
                    try? await Task.sleep(for: .milliseconds(500))
                }
                say("Stopping: the daemon drains and flushes its journal, then the server stops.")
            }
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    /// The scripted part. Returns `false` when Ctrl-C cut it short.
    private func script(client: HTTPClient, feed: inout ResultFeed) async throws -> Bool {
        let deadline = ContinuousClock.now + setup.timeout
        say("Perch demo: camera → int8 inference → journal → fleet server → over-the-air model update")
        say(
            "  server     \(setup.serverURL)  (perch-server in this process, SQLite in \(setup.dataDirectory.path)/server)"
        )
        say("  dashboard  \(setup.serverURL)/")
        say(
            "  device     perchd in this process: source \(setup.resolvedSource), \(setup.framesPerSecond) frames/s, model cat v1"
        )
        say("")

        say("[1/4] The device enrolls with the fleet server")
        guard
            let device = try await wait(
                until: deadline, for: "the device to enroll",
                {
                    try await self.fleet.server.devices.list().first
                })
        else { return false }
        say("      enrolled as \(device.deviceId) (board \(device.board), group \(device.group))")

        say("[2/4] Detections reach the server (model cat v1); each line is a result the server has stored")
        guard
            try await stream(
                &feed, until: deadline, waitingFor: "results from cat v1",
                { feed in
                    feed.count(of: "v1") >= self.setup.resultsPerPhase
                })
        else { return false }

        say("[3/4] The operator pushes cat v2 and rolls it out to the whole fleet")
        let admin = try AdminClient(server: setup.serverURL, token: fleet.adminToken, http: client)
        // Exactly `perch model push cat_v2.tflite --name cat --version v2`: labels, normalization and the
        // preprocessing recipe come from the model's sidecar.
        let push = try ModelPush.parse([setup.secondModel, "--name", "cat", "--version", "v2", "--json"])
        let manifest = try JSONDecoder().decode(
            SignedManifest.self, from: Data(try await push.output(using: admin).utf8)
        )
        .decodedManifest()
        say(
            "      server checked it (every operator supported, arena \(manifest.arenaBytes) bytes), computed "
                + "\(manifest.goldenVectors.count) golden vectors and signed the manifest (sha256 \(manifest.sha256.prefix(12))…)"
        )
        let (rollout, _) = try await admin.call(
            .POST, "/api/v1/rollouts", json: RolloutCreateRequest(modelName: "cat", modelVersion: "v2", stages: [100]),
            as: Rollout.self)
        say("      rollout #\(rollout.id) created: stage 1 = \(rollout.stages.first ?? 100)% of the fleet")

        say("[4/4] The device takes the update while it keeps running (no restart)")
        var announcedSwap = false
        guard
            try await stream(
                &feed, until: deadline, waitingFor: "the device to commit cat v2",
                { feed in
                    let snapshot = self.fleet.agent.pipeline.counters.snapshot
                    if !announcedSwap, snapshot.modelVersion == "v2" {
                        announcedSwap = true
                        let downloaded = self.fleet.agent.ota?.status.downloadedBytes ?? 0
                        self.say(
                            "      device: downloaded \(downloaded) bytes, checked SHA-256, Ed25519 signature and golden vectors, "
                                + "swapped cat v2 in after \(snapshot.inferred) frames — the pipeline never stopped")
                    }
                    let reports = self.fleet.agent.ota?.status.reports ?? []
                    if let failure = reports.first(where: { $0.outcome.isFailure }) {
                        throw CLIError.badInput(
                            "demo: the device refused cat v2 (\(failure.outcome.rawValue): \(failure.detail ?? "no detail")); "
                                + "it keeps running cat v1")
                    }
                    let committed = reports.contains { $0.outcome == .healthy }
                    return committed && feed.count(of: "v2") >= self.setup.resultsPerPhase
                })
        else { return false }
        let reports = fleet.agent.ota?.status.reports.map(\.outcome) ?? []
        say(
            "      device: \(fleet.agent.configuration.ota.healthFrames) healthy frames on cat v2 → committed; "
                + "reported \(reports.map(\.rawValue).joined(separator: ", "))")
        let reported = try await fleet.server.rollouts.rollout(id: rollout.id)
        let stage = reported.stageStats.first { $0.stage == reported.currentStage }
        say(
            "      server: rollout #\(reported.id) stage \(reported.currentStage + 1): "
                + "\(stage?.reportingDevices ?? 0) device(s) reported, \(stage?.failedDevices ?? 0) failed")
        // Last stage healthy: the operator closes the rollout (a failing stage would have halted it by itself).
        let (after, _) = try await admin.call(.POST, "/api/v1/rollouts/\(rollout.id)/promote", as: Rollout.self)
        say("      operator promotes it: rollout #\(after.id) is \(after.state.rawValue)")

        let summary = DemoSummary(
            deviceId: device.deviceId, resultsByVersion: feed.countsByVersion,
            finalModelVersion: fleet.agent.pipeline.counters.snapshot.modelVersion, reports: reports,
            rolloutState: after.state)
        outcome.withLock { $0 = summary }
        say("")
        for version in summary.resultsByVersion.keys.sorted() {
            let labels = summary.resultsByVersion[version, default: [:]].sorted { $0.key < $1.key }
                .map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            say("Results on the server from cat \(version): \(labels)")
        }
        say("Dashboard: \(setup.serverURL)/   Data: \(setup.dataDirectory.path)")
        return true
    }

    /// Prints arriving results until `done` holds; `false` if Ctrl-C came first.
    ///
    /// - Throws: ``CLIError/badInput(_:)`` when the deadline passes first.
    private func stream(
        _ feed: inout ResultFeed, until deadline: ContinuousClock.Instant, waitingFor what: String,
        _ done: (ResultFeed) throws -> Bool
    ) async throws -> Bool {
        while !Task.isShuttingDownGracefully {
            try await printArrivals(&feed)
            if try done(feed) { return true }
            try checkDeadline(deadline, what)
            try? await Task.sleep(for: .milliseconds(250))
        }
        return false
    }

    /// Polls `value` until it is non-nil; `nil` if Ctrl-C came first.
    private func wait<Value>(
        until deadline: ContinuousClock.Instant, for what: String, _ value: () async throws -> Value?
    ) async throws -> Value? {
        while !Task.isShuttingDownGracefully {
            if let value = try await value() { return value }
            try checkDeadline(deadline, what)
            try? await Task.sleep(for: .milliseconds(200))
        }
        return nil
    }

    private func checkDeadline(_ deadline: ContinuousClock.Instant, _ what: String) throws {
        guard ContinuousClock.now < deadline else {
            let sync = fleet.agent.sync?.status.lastError.map { " (last sync error: \($0))" } ?? ""
            throw CLIError.badInput("demo: gave up waiting for \(what) after \(setup.timeout)\(sync)")
        }
    }

    /// Prints the results the server stored since the last call.
    private func printArrivals(_ feed: inout ResultFeed) async throws {
        for stored in try await feed.next(from: fleet.server.results) {
            say(Self.line(stored))
        }
    }

    /// One stored result as a line: time, sequence number, label, score, model.
    static func line(_ stored: StoredResult) -> String {
        let record = stored.record
        let time = Date(timeIntervalSince1970: Double(record.capturedAtMs) / 1000)
        let clock = time.formatted(.dateTime.hour(.twoDigits(amPM: .omitted)).minute(.twoDigits).second(.twoDigits))
        let seq = "#\(record.seq)".padding(toLength: 6, withPad: " ", startingAt: 0)
        if record.kind == .event {
            return
                "      \(clock)  \(seq) event  \(record.label)\(stored.hasSnapshot ? "  (snapshot on the dashboard)" : "")"
        }
        let label = record.label.padding(toLength: 8, withPad: " ", startingAt: 0)
        return "      \(clock)  \(seq) \(label) \(String(format: "%.2f", record.score))   cat \(record.modelVersion)"
    }
}
