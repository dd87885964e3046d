import ArgumentParser
import Foundation
import NIOHTTP1
import PerchServer
import PerchWire

/// `perch model sign`: sign a manifest with the fleet's private key away from the server (offline signing),
/// with the same signer the server uses (``FleetSigningKey``).
struct ModelSign: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign a model manifest with the fleet key file and attach the signature.",
        discussion: """
            perch model sign NAME VERSION --key FILE      fetch the manifest, sign it here, attach the signature
            perch model sign --manifest IN --key FILE     no network: sign a saved manifest (perch model manifest) \
            and write it to --output (default stdout)
            perch model sign NAME VERSION --signed FILE   attach a manifest signed elsewhere
            The key file is the server's fleet-signing.key (base64 of the raw Ed25519 key; perch keys generate).
            """)

    @OptionGroup var fleet: FleetOptions
    @Argument(help: "Model name.") var name: String?
    @Argument(help: "Model version.") var version: String?
    @Option(help: "The fleet's private key file (fleet-signing.key).") var key: String?
    @Option(help: "Sign this saved manifest file instead of fetching one (no network).") var manifest: String?
    @Option(help: "With --manifest: write the signed manifest here instead of stdout.") var output: String?
    @Option(help: "Attach this already signed manifest file.") var signed: String?
    @Flag(help: "Print the server's JSON (ModelSummary) after attaching.") var json = false

    func validate() throws {
        let named = name != nil && version != nil
        if name != nil, version == nil { throw ValidationError("give both NAME and VERSION") }
        switch (manifest != nil, signed != nil) {
        case (true, true): throw ValidationError("--manifest and --signed exclude each other")
        case (true, false):
            guard !named, key != nil else { throw ValidationError("--manifest needs --key and no NAME VERSION") }
        case (false, true):
            guard named, key == nil else { throw ValidationError("--signed needs NAME VERSION and no --key") }
        case (false, false):
            guard named, key != nil else { throw ValidationError("give NAME VERSION --key FILE (see --help)") }
        }
        if output != nil, manifest == nil { throw ValidationError("--output goes with --manifest") }
    }

    func run() async throws {
        if manifest != nil {
            let text = try signOffline()
            if let output {
                do {
                    try Data((text + "\n").utf8).write(to: URL(fileURLWithPath: output))
                } catch {
                    throw FleetError.file(path: output, reason: "cannot write the signed manifest")
                }
                FileHandle.standardError.write(Data("signed manifest written to \(output)\n".utf8))
            } else {
                print(text)
            }
            return
        }
        print(try await attach(using: try fleet.client()))
    }

    // MARK: - Steps

    /// The private key from `--key`.
    ///
    /// - Throws: ``FleetError/file(path:reason:)``.
    func signingKey() throws -> FleetSigningKey {
        guard let key else { throw FleetError.check("--key FILE is required") }
        do {
            return try FleetSigningKey.load(privateKeyFile: URL(fileURLWithPath: key))
        } catch let error as ServerSetupError {
            throw FleetError.file(path: key, reason: error.description)
        }
    }

    /// Reads a SignedManifest JSON file.
    static func readManifest(_ path: String) throws -> SignedManifest {
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path)) else {
            throw FleetError.file(path: path, reason: "cannot read the manifest file")
        }
        guard let signed = try? JSONDecoder().decode(SignedManifest.self, from: data),
            (try? signed.decodedManifest()) != nil
        else { throw FleetError.file(path: path, reason: "not a SignedManifest JSON (from perch model manifest)") }
        return signed
    }

    /// Signs the `--manifest` file's payload, byte for byte, and returns the signed manifest's JSON.
    ///
    /// - Throws: ``FleetError``.
    func signOffline() throws -> String {
        let unsigned = try Self.readManifest(manifest ?? "")
        let signed = try sign(unsigned.payload, with: try signingKey())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(signed), as: UTF8.self)
    }

    /// Signs `payload` and checks the signature before anything leaves this machine.
    func sign(_ payload: Data, with key: FleetSigningKey) throws -> SignedManifest {
        let signed = try key.sign(payload: payload)
        guard key.verify(signed) else { throw FleetError.check("the new signature does not verify") }
        return signed
    }

    /// Fetches (or reads) the signed manifest and attaches it; returns the text this command prints.
    ///
    /// - Throws: ``FleetError``.
    func attach(using client: AdminClient) async throws -> String {
        guard let name, let version else { throw FleetError.check("NAME and VERSION are required") }
        let signedManifest: SignedManifest
        if let signed {
            signedManifest = try Self.readManifest(signed)
        } else {
            let key = try signingKey()
            let (fleetKey, _) = try await client.call(.GET, "/api/v1/fleet-key", as: FleetKeyResponse.self)
            guard fleetKey.keyId == key.keyId else {
                throw FleetError.check("key \(key.keyId) in \(self.key ?? "") is not the fleet key \(fleetKey.keyId)")
            }
            let (stored, _) = try await Self.fetchManifest(name: name, version: version, using: client)
            signedManifest = try sign(stored.payload, with: key)
        }
        let path = Self.modelPath(name, version) + "/signature"
        let (summary, reply) = try await client.call(.PUT, path, json: signedManifest, as: ModelSummary.self)
        if json { return reply.text }
        return "signed \(summary.name) \(summary.version) (sha256 \(FleetFormat.shortHash(summary.sha256))) "
            + "with key \(signedManifest.keyId)"
    }

    /// `GET /api/v1/models/{name}/{version}/manifest`.
    static func fetchManifest(name: String, version: String, using client: AdminClient) async throws
        -> (SignedManifest, AdminClient.Reply)
    {
        try await client.call(.GET, modelPath(name, version) + "/manifest", as: SignedManifest.self)
    }

    /// `/api/v1/models/{name}/{version}`, percent-encoded.
    static func modelPath(_ name: String, _ version: String) -> String {
        "/api/v1/models/\(AdminClient.segment(name))/\(AdminClient.segment(version))"
    }
}
