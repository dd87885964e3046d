import Foundation
import Logging
import PerchAgent
import PerchServer
import PerchWire
import Testing

/// `sync.ca_file`: a daemon trusts a fleet server's HTTPS certificate only through the CA file it is given.
@Suite(
    .serialized, .takesTurns, .enabled(if: TestPaths.catModelExists, "models/cat/cat_v1.tflite is absent"),
    .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl"), "openssl is not installed"))
struct TLSSyncTests {
    /// A private CA and a server certificate for 127.0.0.1 signed by it, made with the openssl command.
    struct Certificates {
        let directory: URL
        var caPath: String { directory.appendingPathComponent("ca.pem").path }
        var serverFiles: TLSFiles {
            TLSFiles(
                certificatePath: directory.appendingPathComponent("server.pem").path,
                privateKeyPath: directory.appendingPathComponent("server.key").path)
        }

        init() throws {
            directory = try TestPaths.temporaryDirectory("perch-tls")
            let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
            try Self.openssl(
                ["req", "-x509"] + ec + [
                    "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=perch test CA",
                ], in: directory)
            try Self.openssl(
                ["req"] + ec + ["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"], in: directory)
            try Data("subjectAltName=IP:127.0.0.1\n".utf8).write(to: directory.appendingPathComponent("san.ext"))
            try Self.openssl(
                [
                    "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                    "-out", "server.pem", "-days", "2", "-extfile", "san.ext",
                ], in: directory)
        }

        static func openssl(_ arguments: [String], in directory: URL) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            process.arguments = arguments
            process.currentDirectoryURL = directory
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            try #require(process.terminationStatus == 0, "openssl \(arguments.joined(separator: " ")) failed")
        }
    }

    @Test func aDaemonWithTheCAFileEnrollsAndUploadsOverHTTPS() async throws {
        let certificates = try Certificates()
        let server = try TestServer(tls: certificates.serverFiles)
        try await server.start()
        var configuration = try SyncEndToEndTests.agentConfiguration(server, frames: 3)
        configuration.sync.caFile = certificates.caPath
        #expect(configuration.sync.serverURL.hasPrefix("https://"))
        let agent = try Agent(configuration: configuration, logger: Logger(label: "perch.agent.test"))
        try await FaultInjectionTests.shuttingDown(agent) {
            let sync = try #require(agent.sync)
            let credentials = try await FaultInjectionTests.enroll(sync)
            #expect(try await server.server.devices.list().map(\.deviceId) == [credentials.deviceId])
            agent.pipeline.start()
            try await SyncEndToEndTests.eventually("the source is drained") {
                agent.pipeline.counters.snapshot.finished
            }
            agent.pipeline.stop()
            await agent.pipeline.waitUntilStopped()
            _ = try agent.journal.flush()
            // Frames may be dropped for load (newest frame wins): compare with what was produced.
            let produced = agent.pipeline.counters.snapshot.results + agent.pipeline.counters.snapshot.events
            try #require(produced > 0)
            let uploaded = try await sync.uploadOnce(credentials)
            #expect(Int64(uploaded) == produced)
            #expect(
                try await SyncEndToEndTests.storedSeqs(server, deviceId: credentials.deviceId) == Array(1...produced))
        }
        await server.stop()
    }

    @Test func aDaemonWithoutTheCAFileRefusesTheServer() async throws {
        let certificates = try Certificates()
        let server = try TestServer(tls: certificates.serverFiles)
        try await server.start()
        let configuration = try SyncEndToEndTests.agentConfiguration(server, frames: 1)
        #expect(configuration.sync.caFile.isEmpty)
        let agent = try Agent(configuration: configuration, logger: Logger(label: "perch.agent.test"))
        try await FaultInjectionTests.shuttingDown(agent) {
            let sync = try #require(agent.sync)
            await #expect(throws: (any Error).self) { _ = try await sync.enrolledCredentials() }
            // Nothing reached the server: the TLS handshake failed before any request.
            #expect(try await server.server.devices.list().isEmpty)
        }
        await server.stop()
    }
}
