import ArgumentParser
import Foundation
import PerchServer

/// `perch keys generate`: create the fleet's Ed25519 signing key pair (the same code as `perch-server keygen`).
struct Keys: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage the fleet signing key.", subcommands: [KeysGenerate.self])
}

/// `perch keys generate [--out DIR]`.
struct KeysGenerate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate the fleet's Ed25519 key pair: DIR/fleet-signing.key (0600) and DIR/fleet-signing.pub.",
        discussion: """
            For offline signing, give the server only fleet-signing.pub (in its --data directory) and keep \
            fleet-signing.key on the signing machine for perch model sign --key.
            """)

    @Option(help: "Directory to write the key files into (created if needed).") var out: String = "."

    func run() throws { print(try output()) }

    /// Writes the key files and returns the text this command prints.
    ///
    /// - Throws: ``FleetError/file(path:reason:)`` when a key exists already or the directory is not writable.
    func output() throws -> String {
        let directory = URL(fileURLWithPath: out)
        let key: FleetSigningKey
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            key = try FleetSigningKey.generate(in: directory)
        } catch let error as ServerSetupError {
            throw FleetError.file(path: out, reason: error.description)
        } catch {
            throw FleetError.file(path: out, reason: "cannot write the key files")
        }
        return """
            key id      \(key.keyId)
            public key  \(key.publicKeyBase64)
            private key \(directory.appendingPathComponent(FleetSigningKey.privateKeyFileName).path) (keep it secret)
            public key  \(directory.appendingPathComponent(FleetSigningKey.publicKeyFileName).path)
            """
    }
}
