import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Metrics
import PerchServer
import Prometheus
import ServiceLifecycle
import UnixSignals

/// `perch-server`: the fleet's central server.
@main
struct PerchServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perch-server",
        abstract: "Perch fleet server: enrollment, results, signed model registry, rollouts, dashboard.",
        subcommands: [Serve.self, Keygen.self],
        defaultSubcommand: Serve.self)
}

/// `perch-server serve` (the default).
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the server.")

    @Option(help: "Data directory (database, models, keys, generated secrets).")
    var data: String = "perch-data"
    @Option(help: "Interface to bind.")
    var host: String = "127.0.0.1"
    @Option(help: "Port to bind.")
    var port: Int = 8080
    @Option(help: "File holding the admin token (else $PERCH_ADMIN_TOKEN, else DATA/admin.token, generated).")
    var adminTokenFile: String?
    @Option(help: "File holding the enrollment secret (else $PERCH_ENROLLMENT_SECRET, else DATA/enrollment.secret).")
    var enrollmentSecretFile: String?
    @Option(help: "PEM certificate chain: serve HTTPS (needs --tls-key).")
    var tlsCert: String?
    @Option(help: "PEM private key for --tls-cert.")
    var tlsKey: String?
    @Flag(help: "PRAGMA synchronous=NORMAL: faster, survives crashes but not power loss.")
    var fastSync = false
    @Option(help: "Log level (trace, debug, info, notice, warning, error, critical).")
    var logLevel: String = "info"

    func run() async throws {
        var logger = Logger(label: "perch.server")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        var configuration = try ServerConfiguration.resolving(
            dataDirectory: URL(fileURLWithPath: data), adminTokenFile: adminTokenFile,
            enrollmentSecretFile: enrollmentSecretFile)
        configuration.host = host
        configuration.port = port
        configuration.synchronousFull = !fastSync
        switch (tlsCert, tlsKey) {
        case (let cert?, let key?): configuration.tls = TLSFiles(certificatePath: cert, privateKeyPath: key)
        case (nil, nil): break
        default: throw ValidationError("--tls-cert and --tls-key go together")
        }
        let server = try FleetServer(configuration: configuration, logger: logger)
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: server.metrics.registry))
        logger.info(
            "Starting perch-server",
            metadata: [
                "server.address": "\(host):\(port)", "server.tls": "\(configuration.tls != nil)",
                "server.data": "\(data)", "key.id": "\(server.signingKey.keyId)",
            ])
        let app = try server.makeApplication(logger: logger)
        let group = ServiceGroup(
            configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// `perch-server keygen`: create the fleet's Ed25519 signing key in the data directory.
struct Keygen: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Generate the fleet signing key (Ed25519).")

    @Option(help: "Data directory.")
    var data: String = "perch-data"

    func run() throws {
        let directory = URL(fileURLWithPath: data)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let key = try FleetSigningKey.generate(in: directory)
        print("key id \(key.keyId)")
        print("public key \(key.publicKeyBase64)")
    }
}
