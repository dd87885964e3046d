import Crypto
import Foundation
import PerchWire

/// The fleet's Ed25519 key: signs model manifests; devices hold the public half.
///
/// The server may hold only the public key (offline signing): then manifests are stored unsigned
/// until an admin attaches a signature made with `perch model sign`, which must verify here.
public struct FleetSigningKey: Sendable {
    // Raw bytes rather than swift-crypto key values, which are not `Sendable` on Linux.
    private let privateKeyBytes: Data?
    private let publicKeyBytes: Data

    /// The private key, if this server signs manifests itself.
    public var privateKey: Curve25519.Signing.PrivateKey? {
        // The bytes came from a valid key, so rebuilding it cannot fail.
        privateKeyBytes.map { try! Curve25519.Signing.PrivateKey(rawRepresentation: $0) }
    }

    /// The public key.
    public var publicKey: Curve25519.Signing.PublicKey {
        try! Curve25519.Signing.PublicKey(rawRepresentation: publicKeyBytes)
    }

    /// The raw 32-byte public key in base64, as devices configure it.
    public var publicKeyBase64: String { publicKeyBytes.base64EncodedString() }

    /// Wraps a private key.
    public init(privateKey: Curve25519.Signing.PrivateKey) {
        self.privateKeyBytes = privateKey.rawRepresentation
        self.publicKeyBytes = privateKey.publicKey.rawRepresentation
    }

    /// Wraps a public key only (offline signing).
    public init(publicKey: Curve25519.Signing.PublicKey) {
        self.privateKeyBytes = nil
        self.publicKeyBytes = publicKey.rawRepresentation
    }

    /// The key identifier: the first 16 hex digits of SHA-256 of the raw public key.
    public var keyId: String {
        String(SHA256.hash(data: publicKey.rawRepresentation).hexString.prefix(16))
    }

    /// Signs a manifest's canonical JSON.
    ///
    /// - Returns: The signed manifest, or an unsigned one (empty signature) without a private key.
    /// - Throws: `EncodingError` or a CryptoKit error.
    public func sign(_ manifest: ModelManifest) throws -> SignedManifest {
        try sign(payload: manifest.canonicalJSON())
    }

    /// Signs a manifest payload as it is: the exact bytes a server stored (offline signing with `perch model sign`).
    ///
    /// - Parameter payload: The canonical JSON of a ``ModelManifest``, as in ``SignedManifest/payload``.
    /// - Returns: The signed manifest, or an unsigned one (empty signature) without a private key.
    /// - Throws: A CryptoKit error.
    public func sign(payload: Data) throws -> SignedManifest {
        guard let privateKey else {
            return SignedManifest(payload: payload, signature: Data(), keyId: "")
        }
        return SignedManifest(payload: payload, signature: try privateKey.signature(for: payload), keyId: keyId)
    }

    /// Whether the manifest's signature verifies with this key.
    public func verify(_ signed: SignedManifest) -> Bool {
        publicKey.isValidSignature(signed.signature, for: signed.payload)
    }

    // MARK: - Files

    /// File name of the private key inside the data directory (base64 of the 32 raw bytes).
    public static let privateKeyFileName = "fleet-signing.key"
    /// File name of the public key inside the data directory (base64 of the 32 raw bytes).
    public static let publicKeyFileName = "fleet-signing.pub"

    /// Generates a key pair and writes both files into `directory` (private key mode 0600).
    ///
    /// - Throws: ``ServerSetupError`` if a key already exists, or a file-system error.
    @discardableResult
    public static func generate(in directory: URL) throws -> FleetSigningKey {
        let privateURL = directory.appendingPathComponent(privateKeyFileName)
        guard !FileManager.default.fileExists(atPath: privateURL.path) else {
            throw ServerSetupError("a fleet signing key already exists at \(privateURL.path)")
        }
        let key = Curve25519.Signing.PrivateKey()
        try SecretFile.write(key.rawRepresentation.base64EncodedString(), to: privateURL)
        try Data((key.publicKey.rawRepresentation.base64EncodedString() + "\n").utf8)
            .write(to: directory.appendingPathComponent(publicKeyFileName))
        return FleetSigningKey(privateKey: key)
    }

    /// Loads a private key file (base64 of the 32 raw bytes, as ``generate(in:)`` writes it).
    ///
    /// - Throws: ``ServerSetupError`` if the file cannot be read or is not a key.
    public static func load(privateKeyFile url: URL) throws -> FleetSigningKey {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw ServerSetupError("cannot read fleet signing key \(url.path)")
        }
        guard let raw = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)),
            let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        else { throw ServerSetupError("malformed fleet signing key in \(url.path)") }
        return FleetSigningKey(privateKey: key)
    }

    /// Loads the private key from `directory`, or only the public key if just that exists.
    ///
    /// - Returns: The key, or `nil` if neither file exists.
    /// - Throws: ``ServerSetupError`` if a file is malformed.
    public static func load(from directory: URL) throws -> FleetSigningKey? {
        let privateURL = directory.appendingPathComponent(privateKeyFileName)
        let publicURL = directory.appendingPathComponent(publicKeyFileName)
        if FileManager.default.fileExists(atPath: privateURL.path) {
            return try load(privateKeyFile: privateURL)
        }
        if let text = try? String(contentsOf: publicURL, encoding: .utf8) {
            guard let raw = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)),
                let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
            else { throw ServerSetupError("malformed fleet public key in \(publicURL.path)") }
            return FleetSigningKey(publicKey: key)
        }
        return nil
    }
}

extension Sequence where Element == UInt8 {
    /// Lowercase hexadecimal digits of the bytes.
    var hexString: String {
        var text = ""
        for byte in self {
            text += String(byte >> 4, radix: 16) + String(byte & 0x0f, radix: 16)
        }
        return text
    }
}
