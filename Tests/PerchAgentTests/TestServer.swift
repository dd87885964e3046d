import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import PerchServer
import ServiceLifecycle
import Synchronization

/// A real `perch-server` on a fixed loopback port, started and stopped at will (the port survives restarts,
/// so a daemon configured with its URL sees the server go away and come back).
final class TestServer: Sendable {
    static let adminToken = "agent-test-admin-token"
    static let enrollmentSecret = "agent-test-enrollment-secret"

    let directory: URL
    let port: Int
    let server: FleetServer
    let running = Mutex<Task<Void, any Error>?>(nil)

    /// Creates the server; with `tls` it serves HTTPS with that certificate and key.
    init(limits: ServerLimits = ServerLimits(), tls: TLSFiles? = nil) throws {
        directory = try TestPaths.temporaryDirectory("perch-server")
        port = try Self.freePort()
        var configuration = ServerConfiguration(
            dataDirectory: directory, adminToken: Self.adminToken, enrollmentSecret: Self.enrollmentSecret)
        configuration.host = "127.0.0.1"
        configuration.port = port
        configuration.synchronousFull = false
        configuration.limits = limits
        configuration.tls = tls
        scheme = tls == nil ? "http" : "https"
        server = try FleetServer(configuration: configuration)
    }

    let scheme: String

    var url: String { "\(scheme)://127.0.0.1:\(port)" }

    /// Writes the enrollment secret to a file and returns its path.
    func secretFile() throws -> String {
        let path = directory.appendingPathComponent("enrollment.secret.test").path
        try Data(Self.enrollmentSecret.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Starts serving; returns once the port accepts connections.
    func start() async throws {
        let app = try server.makeApplication(logger: Logger(label: "perch.server.test"))
        let task = Task { try await app.runService() }
        running.withLock { $0 = task }
        for _ in 0..<500 {
            if Self.accepts(port: port) { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw TestServerError.didNotStart
    }

    /// Stops serving (the database stays).
    func stop() async {
        let task = running.withLock { task in
            defer { task = nil }
            return task
        }
        task?.cancel()
        _ = try? await task?.value
    }

    enum TestServerError: Error { case didNotStart, noPort }

    static func freePort() throws -> Int {
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
        guard bound else { throw TestServerError.noPort }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func accepts(port: Int) -> Bool {
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

/// An HTTP client for admin calls in tests.
struct HTTPClientHolder {
    let client = HTTPClient(eventLoopGroupProvider: .singleton)

    func shutdown() async throws { try await client.shutdown() }
}
