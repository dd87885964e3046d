import ArgumentParser
import Foundation
import NIOHTTP1
import PerchWire

/// `perch model push|sign|list|manifest`: the fleet's signed model registry.
struct ModelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Upload, sign and list models in the fleet registry (admin API).",
        subcommands: [ModelPush.self, ModelSign.self, ModelList.self, ModelShowManifest.self])
}

/// `perch model list [--json]`.
struct ModelList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List registered models.")

    @OptionGroup var fleet: FleetOptions
    @Flag(help: "Print the server's JSON (ModelListResponse).") var json = false

    func run() async throws {
        print(try await output(using: try fleet.client()))
    }

    /// The text this command prints.
    ///
    /// - Throws: ``FleetError``.
    func output(using client: AdminClient) async throws -> String {
        let (list, reply) = try await client.call(.GET, "/api/v1/models", as: ModelListResponse.self)
        if json { return reply.text }
        guard !list.models.isEmpty else { return "no models registered" }
        var table = TextTable(
            ["NAME", "VERSION", "SIZE", "SHA-256", "SIGNED", "UPLOADED (UTC)"],
            alignments: [.left, .left, .right, .left, .left, .left])
        for model in list.models {
            table.append([
                model.name, model.version, FleetFormat.bytes(model.size), FleetFormat.shortHash(model.sha256),
                model.signed ? "yes" : "no", FleetFormat.time(model.createdAtMs),
            ])
        }
        return table.render()
    }
}

/// `perch model manifest NAME VERSION`: the stored signed manifest, as JSON (input of offline signing).
struct ModelShowManifest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "manifest",
        abstract: "Print a model's manifest (SignedManifest JSON; the payload is base64).",
        discussion: "Save it to a file and sign it on an offline machine with `perch model sign --manifest FILE`.")

    @OptionGroup var fleet: FleetOptions
    @Argument(help: "Model name.") var name: String
    @Argument(help: "Model version.") var version: String

    func run() async throws {
        print(try await output(using: try fleet.client()))
    }

    /// The text this command prints: the wire JSON.
    ///
    /// - Throws: ``FleetError``.
    func output(using client: AdminClient) async throws -> String {
        try await ModelSign.fetchManifest(name: name, version: version, using: client).1.text
    }
}

/// A one-paragraph human description of a signed manifest.
enum ManifestSummary {
    /// Name, version, hash, size, input, labels, arena and signature state.
    static func describe(_ signed: SignedManifest) -> String {
        guard let manifest = try? signed.decodedManifest() else { return "manifest payload is not a ModelManifest" }
        let labels = manifest.labels.isEmpty ? "none" : manifest.labels.joined(separator: ",")
        let signature = signed.signature.isEmpty ? "unsigned (attach one with perch model sign)" : "key \(signed.keyId)"
        return """
            model      \(manifest.name) \(manifest.version)
            sha256     \(manifest.sha256)
            size       \(FleetFormat.bytes(manifest.size))
            input      \(formatShape(manifest.input.shape)) \(manifest.input.dtype) scale \(manifest.input.scale) \
            zero point \(manifest.input.zeroPoint)
            labels     \(labels)
            arena      \(FleetFormat.bytes(manifest.arenaBytes))
            golden     \(manifest.goldenVectors.count) vectors
            signature  \(signature)
            """
    }
}
