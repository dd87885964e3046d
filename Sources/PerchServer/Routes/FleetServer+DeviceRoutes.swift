import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import PerchWire

extension FleetServer {
    /// Enrollment and the endpoints devices call with their token.
    func addDeviceRoutes(to router: Router<PerchRequestContext>) {
        router.post("/api/v1/enroll") { request, _ -> Response in
            let enroll = try await RequestBody.decode(
                EnrollRequest.self, from: request, limit: configuration.limits.maxJSONBodyBytes)
            guard SecretDigest.matches(enroll.enrollmentSecret, storedHash: enrollmentSecretHash) else {
                throw APIError(.unauthorized, .unauthenticated, "wrong enrollment secret")
            }
            guard !enroll.hardwareId.isEmpty, enroll.hardwareId.utf8.count <= 128, !enroll.board.isEmpty,
                enroll.board.utf8.count <= 64
            else { throw APIError.invalid("hardwareId (1…128 bytes) and board (1…64 bytes) are required") }
            let group = enroll.group ?? "default"
            try RolloutStore.validateGroup(group)
            let response = try await devices.enroll(hardwareId: enroll.hardwareId, board: enroll.board, group: group)
            return try JSONResponse.make(response, status: .created)
        }

        router.post("/api/v1/device/results") { request, _ -> Response in
            let device = try await authenticator.requireDevice(request)
            let batch = try await RequestBody.decode(
                ResultBatch.self, from: request, limit: configuration.limits.maxResultBodyBytes)
            let response = try await results.ingest(batch, deviceId: device.id)
            metrics.batchIngested(accepted: response.accepted, duplicates: response.duplicates)
            return try JSONResponse.make(response)
        }

        router.post("/api/v1/device/heartbeat") { request, _ -> Response in
            let device = try await authenticator.requireDevice(request)
            let heartbeat = try await RequestBody.decode(
                Heartbeat.self, from: request, limit: configuration.limits.maxJSONBodyBytes)
            try await heartbeats.record(heartbeat, deviceId: device.id)
            return try JSONResponse.make(HeartbeatResponse(serverTimeMs: WallClock.nowMs()))
        }

        router.get("/api/v1/device/assignment") { request, _ -> Response in
            let device = try await authenticator.requireDevice(request)
            try await devices.touch(deviceId: device.id)
            let assignment = try await rollouts.assignment(for: device)
            let response = AssignmentResponse(rolloutId: assignment?.rolloutId, manifest: assignment?.manifest)
            let etag = Self.assignmentETag(response)
            if let match = request.headers[.ifNoneMatch], Self.etagMatches(match, etag) {
                return Response(status: .notModified, headers: [.eTag: etag])
            }
            return try JSONResponse.make(response, headers: [.eTag: etag])
        }

        router.post("/api/v1/device/activation") { request, _ -> Response in
            let device = try await authenticator.requireDevice(request)
            let report = try await RequestBody.decode(
                ActivationReport.self, from: request, limit: configuration.limits.maxJSONBodyBytes)
            return try JSONResponse.make(try await rollouts.report(report, device: device))
        }
    }

    /// A strong ETag over the assignment (rollout id, manifest bytes and signature).
    static func assignmentETag(_ response: AssignmentResponse) -> String {
        guard let manifest = response.manifest, let rolloutId = response.rolloutId else { return "\"none\"" }
        var hasher = SHA256()
        hasher.update(data: Data("\(rolloutId)".utf8))
        hasher.update(data: manifest.payload)
        hasher.update(data: manifest.signature)
        return "\"\(rolloutId)-\(hasher.finalize().hexString.prefix(16))\""
    }

    /// Whether an `If-None-Match` header value matches `etag` (`*`, a list, or weak forms).
    static func etagMatches(_ header: String, _ etag: String) -> Bool {
        header.split(separator: ",").contains { candidate in
            let value = candidate.trimmingCharacters(in: .whitespaces)
            return value == "*" || value == etag || value == "W/" + etag
        }
    }
}
