import Crypto
import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PerchServer
import PerchWire
import Testing

@Suite struct EnrollmentTests {
    @Test func enrollmentIssuesATokenWhoseHashIsAllTheServerStores() async throws {
        let fleet = try TestFleet()
        let enrolled = try await fleet.test { client in try await Wire.enroll(client, hardwareId: "serial-1") }
        #expect(enrolled.token.hasPrefix(enrolled.deviceId + "."))
        let stored = try fleet.server.database.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM device WHERE id = ?", arguments: [enrolled.deviceId])
        }
        let row = try #require(stored)
        let hash: Data = row["token_hash"]
        #expect(Array(hash) == Array(SHA256.hash(data: Data(enrolled.token.utf8))))
        // The plain token appears in no column.
        for column in row.columnNames {
            if case .string(let text) = (row[column] as DatabaseValue).storage {
                #expect(!text.contains(enrolled.token))
            }
        }
    }

    @Test func wrongEnrollmentSecretIs401AndEnrollsNothing() async throws {
        let fleet = try TestFleet()
        try await fleet.test { client in
            let request = EnrollRequest(enrollmentSecret: "guess", hardwareId: "x", board: "rpi")
            let response = try await client.execute(uri: "/api/v1/enroll", method: .post, body: try Wire.json(request))
            #expect(response.status == .unauthorized)
            #expect(try Wire.errorCode(response) == "unauthenticated")
            let devices = try await client.execute(uri: "/api/v1/devices", method: .get, headers: Wire.admin)
            #expect(try Wire.decode(DeviceListResponse.self, devices).devices.isEmpty)
        }
    }

    @Test func malformedJSONAndWrongTypesAre400WithJSONErrors() async throws {
        let fleet = try TestFleet()
        try await fleet.test { client in
            let notJSON = try await client.execute(uri: "/api/v1/enroll", method: .post, body: .init(string: "{nope"))
            #expect(notJSON.status == .badRequest)
            #expect(try Wire.errorCode(notJSON) == "malformed_body")
            let wrongType = try await client.execute(
                uri: "/api/v1/enroll", method: .post,
                body: .init(string: #"{"enrollmentSecret": 5, "hardwareId": "a", "board": "b"}"#))
            #expect(wrongType.status == .badRequest)
            #expect(try Wire.decode(ErrorResponse.self, wrongType).error.message.contains("enrollmentSecret"))
            let missing = try await client.execute(
                uri: "/api/v1/enroll", method: .post, body: .init(string: #"{"enrollmentSecret": "x"}"#))
            #expect(missing.status == .badRequest)
            #expect(try Wire.decode(ErrorResponse.self, missing).error.message.contains("missing field"))
        }
    }

    @Test func unknownDeviceAndWrongTokenAre401RevokedIs403() async throws {
        let fleet = try TestFleet()
        try await fleet.test { client in
            let device = try await Wire.enroll(client)
            let beat = try Wire.json(Wire.heartbeat())
            let ok = try await client.execute(
                uri: "/api/v1/device/heartbeat", method: .post, headers: Wire.bearer(device.token), body: beat)
            #expect(ok.status == .ok)
            let unknown = try await client.execute(
                uri: "/api/v1/device/heartbeat", method: .post, headers: Wire.bearer("dev-nobody.secret"), body: beat)
            #expect(unknown.status == .unauthorized)
            let wrong = try await client.execute(
                uri: "/api/v1/device/heartbeat", method: .post, headers: Wire.bearer(device.deviceId + ".wrong"),
                body: beat)
            #expect(wrong.status == .unauthorized)
            let none = try await client.execute(uri: "/api/v1/device/heartbeat", method: .post, body: beat)
            #expect(none.status == .unauthorized)
            #expect(try Wire.errorCode(none) == "unauthenticated")

            let revoke = try await client.execute(
                uri: "/api/v1/devices/\(device.deviceId)/revoke", method: .post, headers: Wire.admin)
            #expect(try Wire.decode(DeviceSummary.self, revoke).revoked)
            let revoked = try await client.execute(
                uri: "/api/v1/device/heartbeat", method: .post, headers: Wire.bearer(device.token), body: beat)
            #expect(revoked.status == .forbidden)
            #expect(try Wire.errorCode(revoked) == "forbidden")
        }
    }

    @Test func reEnrollingTheSameHardwareRotatesTheTokenAndKeepsTheId() async throws {
        let fleet = try TestFleet()
        try await fleet.test { client in
            let first = try await Wire.enroll(client, hardwareId: "serial-7")
            let second = try await Wire.enroll(client, hardwareId: "serial-7")
            #expect(first.deviceId == second.deviceId)
            #expect(first.token != second.token)
            let beat = try Wire.json(Wire.heartbeat())
            let old = try await client.execute(
                uri: "/api/v1/device/heartbeat", method: .post, headers: Wire.bearer(first.token), body: beat)
            #expect(old.status == .unauthorized)
            let new = try await client.execute(
                uri: "/api/v1/device/heartbeat", method: .post, headers: Wire.bearer(second.token), body: beat)
            #expect(new.status == .ok)
        }
    }

    @Test func adminEndpointsNeedTheAdminTokenNotADeviceToken() async throws {
        let fleet = try TestFleet()
        try await fleet.test { client in
            let device = try await Wire.enroll(client)
            let anonymous = try await client.execute(uri: "/api/v1/devices", method: .get)
            #expect(anonymous.status == .unauthorized)
            let asDevice = try await client.execute(
                uri: "/api/v1/devices", method: .get, headers: Wire.bearer(device.token))
            #expect(asDevice.status == .unauthorized)
            let basic = Data("admin:\(TestFleet.adminToken)".utf8).base64EncodedString()
            let asAdmin = try await client.execute(
                uri: "/api/v1/devices", method: .get, headers: [.authorization: "Basic \(basic)"])
            #expect(asAdmin.status == .ok)
        }
    }

    @Test func constantTimeCompareAgreesWithEquality() {
        let a = SecretDigest.hash("alpha")
        #expect(SecretDigest.constantTimeEquals(a, SecretDigest.hash("alpha")))
        #expect(!SecretDigest.constantTimeEquals(a, SecretDigest.hash("alphb")))
        #expect(!SecretDigest.constantTimeEquals(a, Array(a.dropLast())))
        #expect(SecretDigest.randomSecret() != SecretDigest.randomSecret())
    }
}
