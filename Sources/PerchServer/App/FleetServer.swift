import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOSSL

/// The central server: database, stores, registry, rollouts and metrics, and the router over them.
///
/// Build one with a ``ServerConfiguration``, then call ``makeApplication(logger:)`` to serve it, or
/// ``makeRouter()`` to test it in-process.
public struct FleetServer: Sendable {
    /// The configuration the server was built with.
    public let configuration: ServerConfiguration
    /// The database.
    public let database: ServerDatabase
    /// The fleet signing key.
    public let signingKey: FleetSigningKey
    /// The metrics registry.
    public let metrics: ServerMetrics
    /// Devices.
    public let devices: DeviceStore
    /// Results.
    public let results: ResultStore
    /// Heartbeats.
    public let heartbeats: HeartbeatStore
    /// Models.
    public let registry: ModelRegistry
    /// Rollouts.
    public let rollouts: RolloutStore
    let authenticator: Authenticator
    let enrollmentSecretHash: [UInt8]

    /// Opens the data directory: migrates the database and loads the signing key, generating it
    /// on first start (zero setup).
    ///
    /// - Throws: ``ServerSetupError``, a database or a file-system error.
    public init(configuration: ServerConfiguration, logger: Logger = Logger(label: "perch.server")) throws {
        self.configuration = configuration
        let directory = configuration.dataDirectory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        database = try ServerDatabase(
            path: directory.appendingPathComponent("perch.sqlite").path, synchronousFull: configuration.synchronousFull)
        if let key = try FleetSigningKey.load(from: directory) {
            signingKey = key
        } else {
            signingKey = try FleetSigningKey.generate(in: directory)
            logger.info("Generated the fleet signing key", metadata: ["key.id": "\(signingKey.keyId)"])
        }
        metrics = ServerMetrics()
        devices = DeviceStore(database: database)
        results = ResultStore(database: database, limits: configuration.limits)
        heartbeats = HeartbeatStore(database: database)
        registry = ModelRegistry(
            database: database, blobDirectory: directory.appendingPathComponent("models"), signingKey: signingKey)
        rollouts = RolloutStore(database: database, registry: registry)
        authenticator = Authenticator(adminTokenHash: SecretDigest.hash(configuration.adminToken), devices: devices)
        enrollmentSecretHash = SecretDigest.hash(configuration.enrollmentSecret)
    }

    /// The router with every route of the OpenAPI document, the metrics and the JSON-error middleware.
    public func makeRouter() -> Router<PerchRequestContext> {
        let router = Router(context: PerchRequestContext.self)
        router.add(middleware: MetricsMiddleware(metrics: metrics))
        router.add(middleware: ErrorMiddleware())
        addOperationalRoutes(to: router)
        addDeviceRoutes(to: router)
        addAdminRoutes(to: router)
        addModelRoutes(to: router)
        addRolloutRoutes(to: router)
        addDashboardRoutes(to: router)
        return router
    }

    /// The application serving ``makeRouter()`` on the configured address, over TLS when configured.
    ///
    /// - Throws: `NIOSSLError` when the certificate or key cannot be loaded.
    public func makeApplication(logger: Logger) throws -> some ApplicationProtocol {
        let address = BindAddress.hostname(configuration.host, port: configuration.port)
        let server: HTTPServerBuilder
        if let tls = configuration.tls {
            let certificates = try NIOSSLCertificate.fromPEMFile(tls.certificatePath)
            let key = try NIOSSLPrivateKey(file: tls.privateKeyPath, format: .pem)
            let tlsConfiguration = TLSConfiguration.makeServerConfiguration(
                certificateChain: certificates.map { .certificate($0) }, privateKey: .privateKey(key))
            server = try .tls(.http1AcceptingGzip(), tlsConfiguration: tlsConfiguration)
        } else {
            server = .http1AcceptingGzip()
        }
        return Application(
            router: makeRouter(),
            server: server,
            configuration: .init(address: address, serverName: "perch-server"),
            logger: logger)
    }
}
