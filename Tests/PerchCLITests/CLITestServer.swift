import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import PerchServer
import PerchWire
import Synchronization

@testable import perch

/// A real `PerchServer` on a free loopback port over a fresh temp directory, for driving the CLI end to end.
final class CLITestServer: Sendable {
    static let adminToken = "cli-test-admin-token"
    static let enrollmentSecret = "cli-test-enrollment-secret"

    let directory: URL
    let port: Int
    let server: FleetServer
    private let running = Mutex<Task<Void, any Error>?>(nil)

    /// Creates the server; `publicKeyOnly` installs only a fleet public key first (offline signing).
    init(fleetPublicKey: URL? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("perch-cli-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        if let fleetPublicKey {
            try FileManager.default.copyItem(
                at: fleetPublicKey, to: directory.appendingPathComponent(FleetSigningKey.publicKeyFileName))
        }
        port = try LoopbackPort.free()
        var configuration = ServerConfiguration(
            dataDirectory: directory, adminToken: Self.adminToken, enrollmentSecret: Self.enrollmentSecret)
        configuration.host = "127.0.0.1"
        configuration.port = port
        configuration.synchronousFull = false
        server = try FleetServer(configuration: configuration)
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// A file holding the admin token (what `--admin-token-file` reads).
    func adminTokenFile(_ token: String = adminToken) throws -> String {
        let path = directory.appendingPathComponent("admin-\(UUID().uuidString).token").path
        try Data((token + "\n").utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The fleet options a user would type: `--server URL --admin-token-file FILE`.
    func fleetArguments(token: String = adminToken) throws -> [String] {
        ["--server", url, "--admin-token-file", try adminTokenFile(token)]
    }

    /// Starts serving and returns once the port accepts connections.
    func start() async throws {
        let app = try server.makeApplication(logger: Logger(label: "perch.server.test"))
        let task = Task { try await app.runService() }
        running.withLock { $0 = task }
        for _ in 0..<500 {
            if LoopbackPort.accepts(port) { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw LoopbackPort.Failure.didNotStart
    }

    /// Stops serving.
    func stop() async {
        let task = running.withLock { task in
            defer { task = nil }
            return task
        }
        task?.cancel()
        _ = try? await task?.value
    }

    /// Runs `body` with the server started, stopping it afterwards even if `body` throws.
    func serving<R>(_ body: () async throws -> R) async throws -> R {
        try await start()
        do {
            let result = try await body()
            await stop()
            return result
        } catch {
            await stop()
            throw error
        }
    }

    // MARK: - A device's side, over HTTP

    /// Enrolls a device with the fleet secret.
    func enroll(hardwareId: String, group: String? = nil) async throws -> EnrollResponse {
        let body = EnrollRequest(
            enrollmentSecret: Self.enrollmentSecret, hardwareId: hardwareId, board: "rpi-zero-2w", group: group)
        return try await deviceRequest(.POST, "/api/v1/enroll", token: nil, body: body, as: EnrollResponse.self)
    }

    /// Uploads results as a device.
    func upload(_ records: [ResultRecord], token: String) async throws -> ResultBatchResponse {
        try await deviceRequest(
            .POST, "/api/v1/device/results", token: token, body: ResultBatch(results: records),
            as: ResultBatchResponse.self)
    }

    /// Sends a heartbeat as a device.
    func heartbeat(_ heartbeat: Heartbeat, token: String) async throws {
        _ = try await deviceRequest(
            .POST, "/api/v1/device/heartbeat", token: token, body: heartbeat, as: HeartbeatResponse.self)
    }

    private func deviceRequest<T: Decodable>(
        _ method: HTTPMethod, _ path: String, token: String?, body: some Encodable, as type: T.Type
    ) async throws -> T {
        var request = HTTPClientRequest(url: url + path)
        request.method = method
        request.headers.add(name: "Content-Type", value: "application/json")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        guard (200..<300).contains(response.status.code) else {
            throw LoopbackPort.Failure.status(Int(response.status.code))
        }
        return try JSONDecoder().decode(T.self, from: Data(bytes.readableBytesView))
    }
}

/// Loopback port helpers.
enum LoopbackPort {
    enum Failure: Error, Equatable { case didNotStart, noPort, status(Int) }

    /// A port nothing listens on right now.
    static func free() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw Failure.noPort }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether something accepts TCP connections on the port.
    static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

/// Paths of the repository (the CLI tests use the committed cat model).
enum RepoPaths {
    static let root: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // Tests/PerchCLITests/CLITestServer.swift
        return parts.joined(separator: "/")
    }()
    static let catV1 = root + "/models/cat/cat_v1.tflite"
    static let catV2 = root + "/models/cat/cat_v2.tflite"
}
