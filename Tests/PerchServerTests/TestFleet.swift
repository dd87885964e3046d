import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PerchServer
import PerchWire
import Testing

/// A real server over a fresh temp-dir SQLite database, with known secrets.
struct TestFleet {
    static let adminToken = "test-admin-token"
    static let enrollmentSecret = "test-enrollment-secret"

    let directory: URL
    let server: FleetServer

    /// Opens a server on a new temporary data directory (or `directory`, to reopen one).
    init(directory: URL? = nil, limits: ServerLimits = ServerLimits()) throws {
        let directory =
            directory
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("perch-server-test-\(UUID().uuidString)")
        var configuration = ServerConfiguration(
            dataDirectory: directory, adminToken: Self.adminToken, enrollmentSecret: Self.enrollmentSecret)
        configuration.limits = limits
        configuration.port = 0
        self.directory = directory
        self.server = try FleetServer(configuration: configuration)
    }

    /// The application for HummingbirdTesting.
    func application() -> some ApplicationProtocol {
        var configuration = server.configuration
        configuration.port = 0
        return Application(router: server.makeRouter(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    /// Runs `body` against the in-process router.
    func test<R: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> R) async throws -> R {
        try await application().test(.router, body)
    }
}

/// Shared wire helpers for tests.
enum Wire {
    static let admin: HTTPFields = [.authorization: "Bearer \(TestFleet.adminToken)"]

    static func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }

    static func json(_ value: some Encodable) throws -> ByteBuffer {
        ByteBuffer(bytes: try JSONEncoder().encode(value))
    }

    static func decode<T: Decodable>(_ type: T.Type, _ response: TestResponse) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(response.body.readableBytesView))
    }

    /// The error code of a JSON error body, requiring the body to be one.
    static func errorCode(_ response: TestResponse) throws -> String {
        #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
        return try decode(ErrorResponse.self, response).error.code
    }

    /// Enrolls a device and returns its credentials.
    static func enroll(
        _ client: some TestClientProtocol, hardwareId: String = UUID().uuidString, group: String? = nil
    ) async throws -> EnrollResponse {
        let request = EnrollRequest(
            enrollmentSecret: TestFleet.enrollmentSecret, hardwareId: hardwareId, board: "rpi-zero-2w", group: group)
        let response = try await client.execute(uri: "/api/v1/enroll", method: .post, body: try json(request))
        #expect(response.status == .created)
        return try decode(EnrollResponse.self, response)
    }

    static func record(
        _ seq: Int64, label: String = "cat", at ms: Int64 = 1_700_000_000_000, kind: ResultRecord.Kind = .result,
        snapshot: Data? = nil
    ) -> ResultRecord {
        ResultRecord(
            seq: seq, capturedAtMs: ms, monotonicNs: seq * 1000, kind: kind, modelName: "person_detect",
            modelVersion: "1.0.0", label: label, score: 0.9, latencyMs: 12.5, throttled: false, snapshot: snapshot)
    }

    static func upload(
        _ client: some TestClientProtocol, token: String, _ records: [ResultRecord]
    ) async throws -> TestResponse {
        try await client.execute(
            uri: "/api/v1/device/results", method: .post, headers: bearer(token),
            body: try json(ResultBatch(results: records)))
    }

    static func heartbeat(throttled: Bool = false) -> Heartbeat {
        Heartbeat(
            modelName: "person_detect", modelVersion: "1.0.0", slotState: .committed, uptimeSeconds: 3600,
            framesPerSecond: 4.5, droppedFrames: 12, journalDepth: 3, syncLagSeconds: 2, temperatureCelsius: 61.5,
            throttled: throttled, freeDiskBytes: 2_000_000_000)
    }
}
