import ArgumentParser
import Crypto
import Foundation
import PerchServer
import PerchWire
import Testing

@testable import perch

/// `perch keys generate` and `perch model sign` against a server that holds only the fleet public key.
@Suite struct SigningCommandTests {
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("perch-cli-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func keysGenerateWritesAKeyPairAndRefusesToOverwriteIt() throws {
        let directory = try Self.temporaryDirectory()
        let out = directory.appendingPathComponent("keys").path
        let text = try KeysGenerate.parse(["--out", out]).output()
        let key = try #require(try FleetSigningKey.load(from: URL(fileURLWithPath: out)))
        #expect(key.privateKey != nil)
        #expect(text.hasPrefix("key id      \(key.keyId)\npublic key  \(key.publicKeyBase64)"))
        let attributes = try FileManager.default.attributesOfItem(atPath: out + "/fleet-signing.key")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(throws: FleetError.self) { try KeysGenerate.parse(["--out", out]).output() }
        #expect(try FleetSigningKey.load(from: URL(fileURLWithPath: out))?.keyId == key.keyId, "key unchanged")
    }

    @Test func offlineSignatureVerifiesAndUnlocksRollouts() async throws {
        let keys = try Self.temporaryDirectory()
        _ = try KeysGenerate.parse(["--out", keys.path]).output()
        let keyFile = keys.appendingPathComponent(FleetSigningKey.privateKeyFileName).path
        let fleetKey = try #require(try FleetSigningKey.load(from: keys))
        let fleet = try CLITestServer(fleetPublicKey: keys.appendingPathComponent(FleetSigningKey.publicKeyFileName))
        #expect(fleet.server.signingKey.privateKey == nil, "the server holds only the public key")
        try await fleet.serving {
            let arguments = try fleet.fleetArguments()
            for version in ["1.0.0", "2.0.0", "3.0.0"] {
                let push = try ModelPush.parse(arguments + [RepoPaths.catV1, "--name", "cat", "--version", version])
                #expect(try await push.output(using: try push.fleet.client()).contains("signature  unsigned"))
            }
            let early = try RolloutCreate.parse(arguments + ["cat", "1.0.0"])
            let unsigned = await #expect(throws: FleetError.self) {
                _ = try await early.output(using: try early.fleet.client())
            }
            #expect(unsigned?.description.contains("not signed") == true)

            // Air-gapped: save the manifest, sign the file without a server, attach the result.
            let show = try ModelShowManifest.parse(arguments + ["cat", "1.0.0"])
            let manifestFile = keys.appendingPathComponent("cat-1.0.0.json").path
            try Data(try await show.output(using: try show.fleet.client()).utf8)
                .write(to: URL(fileURLWithPath: manifestFile))
            let offline = try ModelSign.parse(["--manifest", manifestFile, "--key", keyFile])
            let signedText = try offline.signOffline()
            let signed = try JSONDecoder().decode(SignedManifest.self, from: Data(signedText.utf8))
            let stored = try #require(try await fleet.server.registry.signedManifest(name: "cat", version: "1.0.0"))
            #expect(signed.payload == stored.payload, "the exact stored bytes are signed")
            #expect(signed.keyId == fleetKey.keyId)
            #expect(fleetKey.publicKey.isValidSignature(signed.signature, for: signed.payload))
            let signedFile = keys.appendingPathComponent("cat-1.0.0.signed.json").path
            try Data(signedText.utf8).write(to: URL(fileURLWithPath: signedFile))
            let attach = try ModelSign.parse(arguments + ["cat", "1.0.0", "--signed", signedFile])
            #expect(
                try await attach.attach(using: try attach.fleet.client())
                    == "signed cat 1.0.0 (sha256 6864acda355b) with key \(fleetKey.keyId)")

            // Online: fetch, sign here, attach in one step.
            let online = try ModelSign.parse(arguments + ["cat", "2.0.0", "--key", keyFile, "--json"])
            let summary = try JSONDecoder().decode(
                ModelSummary.self, from: Data(try await online.attach(using: try online.fleet.client()).utf8))
            #expect(summary.signed && summary.version == "2.0.0")

            // A key that is not the fleet's is refused before anything is sent.
            let otherKeys = try Self.temporaryDirectory()
            _ = try KeysGenerate.parse(["--out", otherKeys.path]).output()
            let wrongKey = try ModelSign.parse(
                arguments + ["cat", "3.0.0", "--key", otherKeys.appendingPathComponent("fleet-signing.key").path])
            let refused = await #expect(throws: FleetError.self) {
                _ = try await wrongKey.attach(using: try wrongKey.fleet.client())
            }
            #expect(refused?.description.contains("is not the fleet key \(fleetKey.keyId)") == true)

            // A tampered signature is rejected by the server (422) and changes nothing.
            var tampered = signed
            tampered.signature[0] ^= 1
            let tamperedFile = keys.appendingPathComponent("tampered.json").path
            try JSONEncoder().encode(tampered).write(to: URL(fileURLWithPath: tamperedFile))
            let bad = try ModelSign.parse(arguments + ["cat", "3.0.0", "--signed", tamperedFile])
            let rejected = await #expect(throws: FleetError.self) {
                _ = try await bad.attach(using: try bad.fleet.client())
            }
            guard case .server(422, _, _)? = rejected else {
                Issue.record("a tampered signature should be a 422, got \(String(describing: rejected))")
                return
            }

            let list = try ModelList.parse(arguments + ["--json"])
            let models = try JSONDecoder().decode(
                ModelListResponse.self, from: Data(try await list.output(using: try list.fleet.client()).utf8))
            #expect(
                Dictionary(uniqueKeysWithValues: models.models.map { ($0.version, $0.signed) })
                    == ["1.0.0": true, "2.0.0": true, "3.0.0": false])
            let rollout = try RolloutCreate.parse(arguments + ["cat", "1.0.0"])
            #expect(try await rollout.output(using: try rollout.fleet.client()).hasPrefix("created rollout 1"))
        }
    }

    @Test func signArgumentsMustNameOneMode() {
        #expect(throws: (any Error).self) { try ModelSign.parse(["cat", "1"]) }
        #expect(throws: (any Error).self) { try ModelSign.parse(["--manifest", "m.json"]) }
        #expect(throws: (any Error).self) { try ModelSign.parse(["cat", "1", "--key", "k", "--signed", "s"]) }
        #expect(throws: (any Error).self) { try ModelSign.parse(["cat", "--key", "k"]) }
        #expect(throws: (any Error).self) { try ModelSign.parse(["cat", "1", "--key", "k", "--output", "o"]) }
    }
}
