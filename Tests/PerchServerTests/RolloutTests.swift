import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PerchWire
import Testing

@testable import PerchServer

@Suite(.enabled(if: SharedModels.available, SharedModels.skipMessage))
struct RolloutTests {
    /// Registers the fc model under `version`.
    static func register(_ client: some TestClientProtocol, version: String) async throws {
        let bytes = try SharedModels.bytes("single_op/fc_64_to_10.tflite")
        let response = try await ModelRegistryTests.upload(client, version: version, bytes: bytes)
        #expect(response.status == .created)
    }

    static func create(_ client: some TestClientProtocol, _ request: RolloutCreateRequest) async throws -> TestResponse
    {
        try await client.execute(
            uri: "/api/v1/rollouts", method: .post, headers: Wire.admin, body: try Wire.json(request))
    }

    static func assignment(_ client: some TestClientProtocol, _ device: EnrollResponse) async throws
        -> AssignmentResponse
    {
        try Wire.decode(
            AssignmentResponse.self,
            try await client.execute(uri: "/api/v1/device/assignment", method: .get, headers: Wire.bearer(device.token))
        )
    }

    static func act(_ client: some TestClientProtocol, _ action: String, _ id: Int64) async throws -> TestResponse {
        try await client.execute(uri: "/api/v1/rollouts/\(id)/\(action)", method: .post, headers: Wire.admin)
    }

    static func report(
        _ client: some TestClientProtocol, _ device: EnrollResponse, _ id: Int64, _ outcome: ActivationReport.Outcome
    ) async throws -> Rollout {
        try Wire.decode(
            Rollout.self,
            try await client.execute(
                uri: "/api/v1/device/activation", method: .post, headers: Wire.bearer(device.token),
                body: try Wire.json(ActivationReport(rolloutId: id, outcome: outcome, detail: "test"))))
    }

    @Test func stagesGrowTheSameSetOfDevicesUntilTheRolloutCompletes() async throws {
        let fleet = try TestFleet()
        try await fleet.test { client in
            try await Self.register(client, version: "1.0.0")
            var devices: [EnrollResponse] = []
            for index in 0..<20 { devices.append(try await Wire.enroll(client, hardwareId: "hw-\(index)")) }
            let created = try await Self.create(
                client, RolloutCreateRequest(modelName: "fc", modelVersion: "1.0.0", stages: [30, 100]))
            #expect(created.status == .created)
            let rollout = try Wire.decode(Rollout.self, created)
            #expect(rollout.state == .active)

            let expected = devices.filter { RolloutStore.bucket(rolloutId: rollout.id, deviceId: $0.deviceId) < 3000 }
            var firstStage: Set<String> = []
            for device in devices {
                let assignment = try await Self.assignment(client, device)
                if let manifest = assignment.manifest {
                    #expect(assignment.rolloutId == rollout.id)
                    #expect(try manifest.decodedManifest().version == "1.0.0")
                    firstStage.insert(device.deviceId)
                }
            }
            #expect(firstStage == Set(expected.map(\.deviceId)))
            #expect(firstStage.count < devices.count)
            let outsider = try #require(devices.first { !firstStage.contains($0.deviceId) })
            let early = try await client.execute(
                uri: "/api/v1/device/activation", method: .post, headers: Wire.bearer(outsider.token),
                body: try Wire.json(ActivationReport(rolloutId: rollout.id, outcome: .failed)))
            #expect(early.status == .conflict)

            let promoted = try Wire.decode(Rollout.self, try await Self.act(client, "promote", rollout.id))
            #expect(promoted.currentStage == 1)
            for device in devices { #expect(try await Self.assignment(client, device).manifest != nil) }
            #expect(try await Self.report(client, outsider, rollout.id, .healthy).stageStats.last?.stage == 1)
            let completed = try Wire.decode(Rollout.self, try await Self.act(client, "promote", rollout.id))
            #expect(completed.state == .completed)
            #expect(try await Self.act(client, "promote", rollout.id).status == .conflict)
            #expect(try await Self.act(client, "abort", rollout.id).status == .conflict)
        }
    }

    @Test func assignmentSupportsIfNoneMatch() async throws {
        let fleet = try TestFleet()
        try await fleet.test { client in
            try await Self.register(client, version: "1.0.0")
            let device = try await Wire.enroll(client)
            let none = try await client.execute(
                uri: "/api/v1/device/assignment", method: .get, headers: Wire.bearer(device.token))
            #expect(try Wire.decode(AssignmentResponse.self, none).manifest == nil)
            _ = try await Self.create(
                client, RolloutCreateRequest(modelName: "fc", modelVersion: "1.0.0", stages: [100]))
            let first = try await client.execute(
                uri: "/api/v1/device/assignment", method: .get, headers: Wire.bearer(device.token))
            let etag = try #require(first.headers[.eTag])
            #expect(etag != none.headers[.eTag])
            var headers = Wire.bearer(device.token)
            headers[.ifNoneMatch] = etag
            let again = try await client.execute(uri: "/api/v1/device/assignment", method: .get, headers: headers)
            #expect(again.status == .notModified)
        }
    }

    @Test func aStageHaltsItselfWhenItsFailureRatePassesTheThreshold() async throws {
        let fleet = try TestFleet()
        try await fleet.test { client in
            try await Self.register(client, version: "1.0.0")
            var devices: [EnrollResponse] = []
            for index in 0..<4 { devices.append(try await Wire.enroll(client, hardwareId: "hw-\(index)")) }
            let rollout = try Wire.decode(
                Rollout.self,
                try await Self.create(
                    client,
                    RolloutCreateRequest(
                        modelName: "fc", modelVersion: "1.0.0", stages: [100], failureThreshold: 0.4, minReports: 3)))
            #expect(try await Self.report(client, devices[0], rollout.id, .activated).state == .active)
            #expect(try await Self.report(client, devices[1], rollout.id, .failed).state == .active)
            // 1 of 2 failed, but fewer than minReports reported: not judged yet.
            let afterThird = try await Self.report(client, devices[2], rollout.id, .rolledBack)
            #expect(afterThird.state == .halted)
            #expect(afterThird.stageStats == [StageStats(stage: 0, reportingDevices: 3, failedDevices: 2)])
            #expect(afterThird.haltReason?.contains("2 of 3") == true)

            // Halted: the device that activated keeps the model, failed and new devices do not get it.
            #expect(try await Self.assignment(client, devices[0]).manifest != nil)
            #expect(try await Self.assignment(client, devices[1]).manifest == nil)
            #expect(try await Self.assignment(client, devices[3]).manifest == nil)

            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains("perch_rollouts{state=\"halted\"} 1.0"))

            #expect(try await Self.act(client, "promote", rollout.id).status == .conflict)
            let resumed = try Wire.decode(Rollout.self, try await Self.act(client, "resume", rollout.id))
            #expect(resumed.state == .active)
            #expect(resumed.haltReason == nil)
            let paused = try Wire.decode(Rollout.self, try await Self.act(client, "pause", rollout.id))
            #expect(paused.state == .paused)
        }
    }

    @Test func abortSendsDevicesBackToThePreviousAssignment() async throws {
        let fleet = try TestFleet()
        try await fleet.test { client in
            try await Self.register(client, version: "1.0.0")
            try await Self.register(client, version: "2.0.0")
            let device = try await Wire.enroll(client)
            let v1 = try Wire.decode(
                Rollout.self,
                try await Self.create(
                    client, RolloutCreateRequest(modelName: "fc", modelVersion: "1.0.0", stages: [100])))
            // An unfinished rollout blocks another one for the same group.
            let blocked = try await Self.create(
                client, RolloutCreateRequest(modelName: "fc", modelVersion: "2.0.0", stages: [100]))
            #expect(blocked.status == .conflict)
            _ = try await Self.act(client, "promote", v1.id)
            let v2 = try Wire.decode(
                Rollout.self,
                try await Self.create(
                    client, RolloutCreateRequest(modelName: "fc", modelVersion: "2.0.0", stages: [100])))
            #expect(try await Self.assignment(client, device).manifest?.decodedManifest().version == "2.0.0")
            let aborted = try Wire.decode(Rollout.self, try await Self.act(client, "abort", v2.id))
            #expect(aborted.state == .aborted)
            let fallback = try await Self.assignment(client, device)
            #expect(fallback.rolloutId == v1.id)
            #expect(try fallback.manifest?.decodedManifest().version == "1.0.0")
        }
    }

    @Test func groupsAndInvalidRequestsAreHonoured() async throws {
        let fleet = try TestFleet()
        try await fleet.test { client in
            try await Self.register(client, version: "1.0.0")
            let kitchen = try await Wire.enroll(client, group: "kitchen")
            let garden = try await Wire.enroll(client, group: "garden")
            let rollout = try Wire.decode(
                Rollout.self,
                try await Self.create(
                    client,
                    RolloutCreateRequest(modelName: "fc", modelVersion: "1.0.0", group: "kitchen", stages: [100])))
            #expect(try await Self.assignment(client, kitchen).manifest != nil)
            #expect(try await Self.assignment(client, garden).manifest == nil)
            let outsider = try await client.execute(
                uri: "/api/v1/device/activation", method: .post, headers: Wire.bearer(garden.token),
                body: try Wire.json(ActivationReport(rolloutId: rollout.id, outcome: .failed)))
            #expect(outsider.status == .conflict)

            for bad in [
                RolloutCreateRequest(modelName: "fc", modelVersion: "1.0.0", group: "g2", stages: [50, 40, 100]),
                RolloutCreateRequest(modelName: "fc", modelVersion: "1.0.0", group: "g2", stages: [10, 50]),
                RolloutCreateRequest(modelName: "fc", modelVersion: "1.0.0", group: "g2", percentage: 0),
                RolloutCreateRequest(modelName: "fc", modelVersion: "1.0.0", group: "g2", failureThreshold: 1.5),
            ] {
                #expect(try await Self.create(client, bad).status == .badRequest)
            }
            let unknown = try await Self.create(client, RolloutCreateRequest(modelName: "fc", modelVersion: "9"))
            #expect(unknown.status == .notFound)
            let missing = try await client.execute(uri: "/api/v1/rollouts/999", method: .get, headers: Wire.admin)
            #expect(missing.status == .notFound)
            let notANumber = try await client.execute(uri: "/api/v1/rollouts/abc", method: .get, headers: Wire.admin)
            #expect(notANumber.status == .badRequest)
            let list = try Wire.decode(
                RolloutListResponse.self,
                try await client.execute(uri: "/api/v1/rollouts", method: .get, headers: Wire.admin))
            #expect(list.rollouts.map(\.id) == [rollout.id])

            let page = String(
                buffer: try await client.execute(uri: "/rollouts", method: .get, headers: Wire.admin).body)
            #expect(page.contains("fc 1.0.0"))
            #expect(page.contains("kitchen"))
            #expect(page.contains("<span class=\"current\""))
        }
    }
}
