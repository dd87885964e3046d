import ArgumentParser
import Foundation
import PerchWire
import Testing

@testable import perch

/// Every fleet-command failure is one clear line: server down, wrong token, missing token, bad URL.
@Suite struct ErrorReportingTests {
    @Test func aServerThatIsDownIsConnectionRefused() async throws {
        let port = try LoopbackPort.free()
        let command = try DevicesList.parse(["--server", "http://127.0.0.1:\(port)"])
        let client = try AdminClient(server: command.fleet.serverURL(), token: "t")
        let error = await #expect(throws: FleetError.self) { _ = try await command.output(using: client) }
        #expect(error == .unreachable(server: "http://127.0.0.1:\(port)", reason: "connection refused"))
        #expect(error?.description == "cannot reach perch-server at http://127.0.0.1:\(port): connection refused")
    }

    @Test func aWrongTokenIsTheServers401() async throws {
        let fleet = try CLITestServer()
        try await fleet.serving {
            let command = try ModelList.parse(try fleet.fleetArguments(token: "not-the-admin-token"))
            let error = await #expect(throws: FleetError.self) {
                _ = try await command.output(using: try command.fleet.client())
            }
            #expect(error == .server(status: 401, code: "unauthenticated", message: "admin token required"))
            #expect(
                error?.description
                    == "server answered 401 unauthenticated: admin token required "
                    + "(check --admin-token-file or PERCH_ADMIN_TOKEN)")
            let unknown = try DevicesRevoke.parse(try fleet.fleetArguments() + ["no-such-device"])
            let notFound = await #expect(throws: FleetError.self) {
                _ = try await unknown.output(using: try unknown.fleet.client())
            }
            guard case .server(404, _, _)? = notFound else {
                Issue.record("an unknown device should be a 404, got \(String(describing: notFound))")
                return
            }
        }
    }

    @Test func tokenAndServerComeFromOptionsThenEnvironment() throws {
        let none = try FleetOptions.parse([])
        #expect(throws: FleetError.noAdminToken) { try none.adminToken(environment: [:]) }
        #expect(try none.adminToken(environment: ["PERCH_ADMIN_TOKEN": "from-env"]) == "from-env")
        #expect(none.serverURL(environment: [:]) == "http://127.0.0.1:8080")
        #expect(none.serverURL(environment: ["PERCH_SERVER": "http://fleet:9000"]) == "http://fleet:9000")
        let explicit = try FleetOptions.parse(["--server", "http://a:1", "--admin-token-file", "/nonexistent/token"])
        #expect(explicit.serverURL(environment: ["PERCH_SERVER": "http://b:2"]) == "http://a:1")
        #expect(throws: FleetError.tokenFile(path: "/nonexistent/token", reason: "no such file or not readable")) {
            try explicit.adminToken(environment: ["PERCH_ADMIN_TOKEN": "ignored"])
        }
        #expect(throws: FleetError.badServerURL("ftp://x")) { try AdminClient(server: "ftp://x", token: "t") }
        #expect(throws: FleetError.badServerURL("127.0.0.1:8080")) {
            try AdminClient(server: "127.0.0.1:8080", token: "t")
        }
    }

    /// The built `perch` binary next to the test bundle, if SwiftPM built it there.
    static let perchBinary: String? = {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [bundle, bundle.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("perch").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }()

    @Test(.enabled(if: perchBinary != nil, "the perch executable is not next to the test bundle"))
    func theExecutablePrintsOneLineAndExitsNonZero() throws {
        let port = try LoopbackPort.free()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.perchBinary))
        process.arguments = ["devices", "--server", "http://127.0.0.1:\(port)"]
        process.environment = ["PERCH_ADMIN_TOKEN": "t"]
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = Pipe()
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 1)
        #expect(text == "perch: cannot reach perch-server at http://127.0.0.1:\(port): connection refused\n")
    }
}
