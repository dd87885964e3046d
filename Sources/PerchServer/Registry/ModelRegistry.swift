import Crypto
import Foundation
import GRDB
import HTTPTypes
import PerchWire

/// The signed model registry: validated uploads, manifests, signatures and content-addressed blobs.
///
/// Blobs are stored as `<data>/models/<sha256>.tflite`: the file name never comes from the client,
/// so a model name cannot reach outside that directory.
public struct ModelRegistry: Sendable {
    let database: ServerDatabase
    let blobDirectory: URL
    let signingKey: FleetSigningKey

    /// A registered model's blob.
    struct Blob: Sendable {
        var url: URL
        var sha256: String
        var size: Int64
    }

    /// Model names: lowercase letters, digits, `.`, `_`, `-`; no leading dot (so no `..`).
    static func validateName(_ name: String) throws {
        guard name.utf8.count <= 64, let first = name.utf8.first, Self.isLowerAlnum(first),
            name.utf8.allSatisfy({
                Self.isLowerAlnum($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_")
                    || $0 == UInt8(ascii: "-")
            }),
            !name.contains("..")
        else { throw APIError.invalid("model name must match [a-z0-9][a-z0-9._-]{0,63} without '..'") }
    }

    /// Versions: letters, digits, `.`, `_`, `+`, `-`; no leading dot.
    static func validateVersion(_ version: String) throws {
        guard version.utf8.count <= 32, let first = version.utf8.first, Self.isAlnum(first),
            version.utf8.allSatisfy({
                Self.isAlnum($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "+")
                    || $0 == UInt8(ascii: "-")
            }),
            !version.contains("..")
        else { throw APIError.invalid("model version must match [A-Za-z0-9][A-Za-z0-9._+-]{0,31} without '..'") }
    }

    /// Validates, stores and signs a model upload.
    ///
    /// - Returns: The signed manifest (unsigned when the server holds only the public key).
    /// - Throws: ``APIError`` 400 (name, labels, normalization), 409 (version exists), 422 (invalid model).
    func register(
        name: String, version: String, bytes: [UInt8], labels: [String], normalization: Normalization,
        preprocessing: Preprocessing? = nil
    ) async throws -> SignedManifest {
        try Self.validateName(name)
        try Self.validateVersion(version)
        guard normalization.mean.isFinite, normalization.std.isFinite, normalization.std != 0 else {
            throw APIError.invalid("normalization needs a finite mean and a finite, non-zero std")
        }
        guard labels.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 128 }), labels.count <= 10_000 else {
            throw APIError.invalid("labels must be non-empty and at most 128 bytes each")
        }
        if let preprocessing, !preprocessing.isWellFormed {
            throw APIError.invalid(
                "preprocessing steps must be non-empty and at most \(Preprocessing.maxTextBytes) bytes each")
        }
        if try await exists(name: name, version: version) {
            throw APIError.conflict("model \(name) \(version) exists; versions are immutable")
        }
        let analysis: ModelAnalysis
        do {
            analysis = try ModelValidation.analyze(bytes)
        } catch {
            throw APIError(.unprocessableContent, .invalidModel, error.description)
        }
        if !labels.isEmpty, let classes = analysis.outputElementCount, classes != labels.count {
            throw APIError.invalid("\(labels.count) labels given but the model has \(classes) outputs")
        }
        let sha256 = SHA256.hash(data: bytes).hexString
        let manifest = ModelManifest(
            name: name, version: version, sha256: sha256, size: Int64(bytes.count), input: analysis.input,
            normalization: normalization, labels: labels, arenaBytes: analysis.arenaBytes,
            goldenVectors: analysis.goldenVectors, createdAtMs: WallClock.nowMs(), preprocessing: preprocessing)
        let signed = try signingKey.sign(manifest)

        try FileManager.default.createDirectory(at: blobDirectory, withIntermediateDirectories: true)
        try Data(bytes).write(to: blobDirectory.appendingPathComponent("\(sha256).tflite"), options: .atomic)
        do {
            try await database.pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO model (name, version, sha256, size, manifest, signature, key_id, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        name, version, sha256, bytes.count, signed.payload,
                        signed.signature.isEmpty ? nil : signed.signature, signed.keyId.isEmpty ? nil : signed.keyId,
                        manifest.createdAtMs,
                    ])
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            // A concurrent upload of the same version won the race; the blob is content-addressed, so
            // the file written above is the other upload's file if the bytes are equal, and harmless if not.
            throw APIError.conflict("model \(name) \(version) exists; versions are immutable")
        }
        return signed
    }

    /// Attaches a signature made offline; it must verify with the fleet key over the stored payload.
    ///
    /// - Throws: ``APIError`` 404 (unknown model), 422 (payload differs or signature does not verify).
    func attachSignature(name: String, version: String, signed: SignedManifest) async throws -> ModelSummary {
        try Self.validateName(name)
        try Self.validateVersion(version)
        guard let stored = try await signedManifest(name: name, version: version) else {
            throw APIError.notFound("unknown model \(name) \(version)")
        }
        guard signed.payload == stored.payload else {
            throw APIError(.unprocessableContent, .badSignature, "payload differs from the stored manifest")
        }
        guard signingKey.verify(signed) else {
            throw APIError(.unprocessableContent, .badSignature, "signature does not verify with the fleet key")
        }
        try await database.pool.write { db in
            try db.execute(
                sql: "UPDATE model SET signature = ?, key_id = ? WHERE name = ? AND version = ?",
                arguments: [signed.signature, signingKey.keyId, name, version])
        }
        guard let summary = try await list().first(where: { $0.name == name && $0.version == version }) else {
            throw APIError.notFound("unknown model \(name) \(version)")
        }
        return summary
    }

    /// Whether a version is registered.
    func exists(name: String, version: String) async throws -> Bool {
        try await database.pool.read { db in
            try Bool.fetchOne(
                db, sql: "SELECT 1 FROM model WHERE name = ? AND version = ?", arguments: [name, version]) ?? false
        }
    }

    /// The stored manifest with its signature (empty when unsigned), or `nil`.
    public func signedManifest(name: String, version: String) async throws -> SignedManifest? {
        try await database.pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT manifest, signature, key_id FROM model WHERE name = ? AND version = ?",
                arguments: [name, version]
            ).map {
                SignedManifest(payload: $0["manifest"], signature: $0["signature"] ?? Data(), keyId: $0["key_id"] ?? "")
            }
        }
    }

    /// The registered models, newest first.
    public func list() async throws -> [ModelSummary] {
        let rows = try await database.pool.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT name, version, sha256, size, manifest, signature, created_at FROM model "
                    + "ORDER BY created_at DESC, name, version"
            ).map { row in
                (
                    summary: ModelSummary(
                        name: row["name"], version: row["version"], sha256: row["sha256"], size: row["size"],
                        signed: false, createdAtMs: row["created_at"]),
                    payload: row["manifest"] as Data, signature: row["signature"] as Data?
                )
            }
        }
        return rows.map { row in
            var summary = row.summary
            summary.signed =
                row.signature.map {
                    signingKey.verify(SignedManifest(payload: row.payload, signature: $0, keyId: ""))
                } ?? false
            return summary
        }
    }

    /// The blob of a registered model, or `nil`.
    func blob(name: String, version: String) async throws -> Blob? {
        let directory = blobDirectory
        return try await database.pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT sha256, size FROM model WHERE name = ? AND version = ?", arguments: [name, version]
            ).map { row in
                let sha256: String = row["sha256"]
                return Blob(
                    url: directory.appendingPathComponent("\(sha256).tflite"), sha256: sha256, size: row["size"])
            }
        }
    }

    private static func isLowerAlnum(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func isAlnum(_ byte: UInt8) -> Bool {
        isLowerAlnum(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }
}
