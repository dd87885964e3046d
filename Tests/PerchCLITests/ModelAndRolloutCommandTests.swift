import ArgumentParser
import Foundation
import PerchServer
import PerchWire
import Synchronization
import Testing

@testable import perch

/// `perch model push|list|manifest` and `perch rollout …` against a real server that signs manifests itself.
@Suite struct ModelAndRolloutCommandTests {
    static let catV1SHA256 = "6864acda355b9bfe0b3989f9a7d72e1c2525332c91cafce320f822bde33ec54e"

    @Test func pushValidatesAndSignsThenListShowsTheModel() async throws {
        let fleet = try CLITestServer()
        try await fleet.serving {
            let arguments = try fleet.fleetArguments()
            let push = try ModelPush.parse(
                arguments + [RepoPaths.catV1, "--name", "cat", "--version", "1.0.0", "--labels", "non_cat,cat"])
            let seen = Mutex<[Int64]>([])
            let text = try await push.output(using: try push.fleet.client()) { sent, total in
                seen.withLock { $0.append(sent) }
                #expect(total == 198_400)
            }
            #expect(text.contains("registered"))
            #expect(text.contains("sha256     \(Self.catV1SHA256)"))
            #expect(text.contains("labels     non_cat,cat"))
            #expect(text.contains("signature  key \(fleet.server.signingKey.keyId)"))
            let progress = seen.withLock { $0 }
            #expect(progress.last == 198_400)
            #expect(progress == progress.sorted() && progress.count == 4, "64 KiB chunks: 3 full and 1 partial")

            let list = try ModelList.parse(arguments)
            let table = try await list.output(using: try list.fleet.client())
            let row = try #require(table.split(separator: "\n").dropFirst().first)
            #expect(row.hasPrefix("cat ") && row.contains("1.0.0") && row.contains("193.8 KiB"))
            #expect(row.contains(String(Self.catV1SHA256.prefix(12))) && row.contains("yes"))

            let json = try ModelList.parse(arguments + ["--json"])
            let models = try JSONDecoder().decode(
                ModelListResponse.self, from: Data(try await json.output(using: try json.fleet.client()).utf8))
            #expect(models.models.map(\.sha256) == [Self.catV1SHA256])

            let manifest = try ModelShowManifest.parse(arguments + ["cat", "1.0.0"])
            let signed = try JSONDecoder().decode(
                SignedManifest.self, from: Data(try await manifest.output(using: try manifest.fleet.client()).utf8))
            #expect(fleet.server.signingKey.verify(signed))
            #expect(try signed.decodedManifest().labels == ["non_cat", "cat"])
            // The sidecar next to the model (cat_v1.json) gave the normalization and the preprocessing recipe,
            // in the short spellings the daemon reads back.
            #expect(try signed.decodedManifest().normalization == Normalization(mean: 127.5, std: 127.5))
            #expect(
                try signed.decodedManifest().preprocessing
                    == Preprocessing(
                        decode: "full", crop: "center-crop", resize: "box",
                        quantizationTable: "round_half_away_from_zero float64"))
        }
    }

    @Test func pushFailuresAreOneClearError() async throws {
        let fleet = try CLITestServer()
        try await fleet.serving {
            let arguments = try fleet.fleetArguments()
            let first = try ModelPush.parse(arguments + [RepoPaths.catV1, "--name", "cat", "--version", "1"])
            _ = try await first.output(using: try first.fleet.client())

            let again = try ModelPush.parse(arguments + [RepoPaths.catV2, "--name", "cat", "--version", "1"])
            let conflict = await #expect(throws: FleetError.self) {
                _ = try await again.output(using: try again.fleet.client())
            }
            guard case .server(409, _, let message)? = conflict else {
                Issue.record("expected a 409, got \(String(describing: conflict))")
                return
            }
            #expect(message.contains("immutable"))

            // A file that is not a model: the server's interpreter rejects it (422).
            let notModel = try ModelPush.parse(
                arguments + [RepoPaths.root + "/models/cat/cat_v1.json", "--name", "cat", "--version", "2"])
            let invalid = await #expect(throws: FleetError.self) {
                _ = try await notModel.output(using: try notModel.fleet.client())
            }
            guard case .server(422, "invalid_model", _)? = invalid else {
                Issue.record("expected 422 invalid_model, got \(String(describing: invalid))")
                return
            }

            let wrongLabels = try ModelPush.parse(
                arguments + [RepoPaths.catV1, "--name", "cat", "--version", "3", "--labels", "a,b,c"])
            let labels = await #expect(throws: FleetError.self) {
                _ = try await wrongLabels.output(using: try wrongLabels.fleet.client())
            }
            #expect(labels?.description.contains("3 labels given but the model has 2 outputs") == true)

            let missing = try ModelPush.parse(arguments + ["/nonexistent/m.tflite", "--name", "m", "--version", "1"])
            await #expect(throws: FleetError.file(path: "/nonexistent/m.tflite", reason: "cannot read the model file"))
            {
                _ = try await missing.output(using: try missing.fleet.client())
            }
        }
    }

    @Test func rolloutCreateStatusPromotePauseResumeAbort() async throws {
        let fleet = try CLITestServer()
        try await fleet.serving {
            let arguments = try fleet.fleetArguments()
            for (file, version) in [(RepoPaths.catV1, "1.0.0"), (RepoPaths.catV2, "2.0.0")] {
                let push = try ModelPush.parse(arguments + [file, "--name", "cat", "--version", version])
                _ = try await push.output(using: try push.fleet.client())
            }

            let create = try RolloutCreate.parse(
                arguments + ["cat", "1.0.0", "--stages", "25,50,100", "--failure-threshold", "0.3", "--json"])
            let rollout = try JSONDecoder().decode(
                Rollout.self, from: Data(try await create.output(using: try create.fleet.client()).utf8))
            #expect(rollout.stages == [25, 50, 100] && rollout.state == .active && rollout.currentStage == 0)
            #expect(rollout.failureThreshold == 0.3)
            let id = String(rollout.id)

            let status = try RolloutStatus.parse(arguments + [id])
            let described = try await status.output(using: try status.fleet.client())
            #expect(described.hasPrefix("rollout \(id): cat 1.0.0 to 100% of the fleet, active at stage 1 of 3"))
            #expect(described.contains("failure threshold 30% after 1 report"))

            let promote = try RolloutAction.Promote.parse(arguments + [id])
            #expect(try await promote.output(using: try promote.fleet.client()).contains("active at stage 2 of 3"))
            let pause = try RolloutAction.Pause.parse(arguments + [id])
            #expect(try await pause.output(using: try pause.fleet.client()).contains("paused at stage 2 of 3"))
            let resume = try RolloutAction.Resume.parse(arguments + [id])
            #expect(try await resume.output(using: try resume.fleet.client()).contains("active at stage 2 of 3"))
            let abort = try RolloutAction.Abort.parse(arguments + [id, "--json"])
            let aborted = try JSONDecoder().decode(
                Rollout.self, from: Data(try await abort.output(using: try abort.fleet.client()).utf8))
            #expect(aborted.state == .aborted)
            let abortAgain = await #expect(throws: FleetError.self) {
                _ = try await abort.output(using: try abort.fleet.client())
            }
            guard case .server(409, _, _)? = abortAgain else {
                Issue.record("aborting twice should be a 409, got \(String(describing: abortAgain))")
                return
            }

            let second = try RolloutCreate.parse(arguments + ["cat", "2.0.0", "--group", "kitchen", "--stages", "100"])
            let created = try await second.output(using: try second.fleet.client())
            #expect(created.hasPrefix("created rollout"))
            #expect(created.contains("cat 2.0.0 to 100% of group kitchen, active at stage 1 of 1"))
            let secondId = String(rollout.id + 1)
            let finish = try RolloutAction.Promote.parse(arguments + [secondId])
            #expect(try await finish.output(using: try finish.fleet.client()).contains(", completed"))

            let all = try RolloutStatus.parse(arguments)
            let table = try await all.output(using: try all.fleet.client()).split(separator: "\n")
            #expect(table.count == 3)
            #expect(table.contains { $0.contains("cat 1.0.0") && $0.contains("aborted") })
            #expect(
                table.contains { $0.contains("cat 2.0.0") && $0.contains("100% kitchen") && $0.contains("completed") })

            let unknown = try RolloutCreate.parse(arguments + ["cat", "9.9.9"])
            let notFound = await #expect(throws: FleetError.self) {
                _ = try await unknown.output(using: try unknown.fleet.client())
            }
            guard case .server(404, _, _)? = notFound else {
                Issue.record("an unknown model should be a 404, got \(String(describing: notFound))")
                return
            }
        }
    }
}
