import Foundation

/// Size limits of the API; every limit answers 413 when passed.
public struct ServerLimits: Sendable {
    /// Largest result-batch body, bytes.
    public var maxResultBodyBytes = 8 * 1024 * 1024
    /// Most results in one batch.
    public var maxResultsPerBatch = 5000
    /// Largest snapshot JPEG, bytes (decoded).
    public var maxSnapshotBytes = 64 * 1024
    /// Largest `.tflite` upload, bytes.
    public var maxModelBytes = 64 * 1024 * 1024
    /// Largest body of the other JSON endpoints, bytes.
    public var maxJSONBodyBytes = 256 * 1024

    /// Default limits.
    public init() {}
}

/// Paths of a TLS certificate chain and private key (PEM) to serve HTTPS.
public struct TLSFiles: Sendable {
    /// The PEM certificate chain.
    public var certificatePath: String
    /// The PEM private key.
    public var privateKeyPath: String

    /// Creates TLS file paths.
    public init(certificatePath: String, privateKeyPath: String) {
        self.certificatePath = certificatePath
        self.privateKeyPath = privateKeyPath
    }
}

/// Everything `perch-server` needs to start.
public struct ServerConfiguration: Sendable {
    /// The data directory: `perch.sqlite`, `models/`, keys and generated secrets.
    public var dataDirectory: URL
    /// Interface to bind.
    public var host = "127.0.0.1"
    /// Port to bind (0 picks a free one).
    public var port = 8080
    /// The admin bearer token.
    public var adminToken: String
    /// The fleet enrollment secret.
    public var enrollmentSecret: String
    /// API size limits.
    public var limits = ServerLimits()
    /// Serve HTTPS with these files; plain HTTP when `nil`.
    public var tls: TLSFiles?
    /// `PRAGMA synchronous = FULL` (survives power loss) instead of `NORMAL` (survives crashes).
    public var synchronousFull = true
    /// A device counts as online when seen within this window.
    public var onlineWindowMs: Int64 = 5 * 60 * 1000

    /// Creates a configuration with explicit secrets.
    public init(dataDirectory: URL, adminToken: String, enrollmentSecret: String) {
        self.dataDirectory = dataDirectory
        self.adminToken = adminToken
        self.enrollmentSecret = enrollmentSecret
    }

    /// Resolves the secrets for `dataDirectory`: a given file wins, then the environment
    /// (`PERCH_ADMIN_TOKEN`, `PERCH_ENROLLMENT_SECRET`), then `admin.token` / `enrollment.secret` in the
    /// data directory, which are generated (mode 0600) on first start.
    ///
    /// - Throws: ``ServerSetupError`` or a file-system error.
    public static func resolving(
        dataDirectory: URL,
        adminTokenFile: String? = nil,
        enrollmentSecretFile: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> ServerConfiguration {
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        func secret(file: String?, variable: String, fallback: String) throws -> String {
            if let file {
                guard let value = try SecretFile.read(URL(fileURLWithPath: file)) else {
                    throw ServerSetupError("secret file \(file) does not exist")
                }
                return value
            }
            if let value = environment[variable], !value.isEmpty { return value }
            let url = dataDirectory.appendingPathComponent(fallback)
            if let value = try SecretFile.read(url) { return value }
            let value = SecretDigest.randomSecret()
            try SecretFile.write(value, to: url)
            return value
        }
        return ServerConfiguration(
            dataDirectory: dataDirectory,
            adminToken: try secret(file: adminTokenFile, variable: "PERCH_ADMIN_TOKEN", fallback: "admin.token"),
            enrollmentSecret: try secret(
                file: enrollmentSecretFile, variable: "PERCH_ENROLLMENT_SECRET", fallback: "enrollment.secret"))
    }
}
