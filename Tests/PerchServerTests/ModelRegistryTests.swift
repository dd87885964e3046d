import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PerchServer
import PerchWire
import Testing

@Suite(.enabled(if: SharedModels.available, SharedModels.skipMessage))
struct ModelRegistryTests {
    static let labels = (0..<10).map { "class\($0)" }.joined(separator: ",")

    static func upload(
        _ client: some TestClientProtocol, name: String = "fc", version: String = "1.0.0", bytes: [UInt8],
        query: String = "labels=\(labels)&mean=127.5&std=127.5"
    ) async throws -> TestResponse {
        try await client.execute(
            uri: "/api/v1/models/\(name)/\(version)?\(query)", method: .put, headers: Wire.admin,
            body: .init(bytes: bytes))
    }

    @Test func uploadValidatesWithPerchAndSignsAManifestWithGoldenVectors() async throws {
        let bytes = try SharedModels.bytes("single_op/fc_64_to_10.tflite")
        let fleet = try TestFleet()
        try await fleet.test { client in
            let response = try await Self.upload(client, bytes: bytes)
            #expect(response.status == .created)
            let signed = try Wire.decode(SignedManifest.self, response)
            let key = try Wire.decode(
                FleetKeyResponse.self, try await client.execute(uri: "/api/v1/fleet-key", method: .get))
            let publicKey = try Curve25519.Signing.PublicKey(rawRepresentation: key.publicKey)
            #expect(publicKey.isValidSignature(signed.signature, for: signed.payload))
            #expect(signed.keyId == key.keyId)

            let manifest = try signed.decodedManifest()
            #expect(manifest.sha256 == SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined())
            #expect(manifest.size == Int64(bytes.count))
            #expect(manifest.input.dtype == "int8")
            #expect(manifest.input.shape.reduce(1, *) == 64)
            #expect(manifest.labels.count == 10)
            #expect(manifest.normalization == Normalization(mean: 127.5, std: 127.5))
            #expect(manifest.arenaBytes >= 64 + 10)
            #expect(manifest.goldenVectors.map(\.seed) == [1, 2, 3])
            for vector in manifest.goldenVectors {
                let input = GoldenInput.int8(seed: vector.seed, count: 64).map { UInt8(bitPattern: $0) }
                #expect(vector.inputSHA256 == SHA256.hash(data: input).map { String(format: "%02x", $0) }.joined())
                #expect(vector.outputs.map(\.count) == [10])
            }
            // Different seeds give different inputs, so a constant model output would show here.
            #expect(Set(manifest.goldenVectors.map(\.outputs)).count == 3)

            // Re-encoding the decoded manifest gives the signed bytes back: the encoding is canonical.
            #expect(try manifest.canonicalJSON() == signed.payload)

            let again = try await Self.upload(client, bytes: bytes)
            #expect(again.status == .conflict)
            let list = try Wire.decode(
                ModelListResponse.self,
                try await client.execute(uri: "/api/v1/models", method: .get, headers: Wire.admin))
            #expect(list.models.map(\.signed) == [true])
        }
    }

    @Test func concurrentUploadsOfOneVersionStoreItOnce() async throws {
        let bytes = try SharedModels.bytes("single_op/fc_64_to_10.tflite")
        let fleet = try TestFleet()
        try await fleet.test { client in
            async let first = Self.upload(client, version: "2.0.0", bytes: bytes)
            async let second = Self.upload(client, version: "2.0.0", bytes: bytes)
            let statuses = try await [first.status, second.status].map(\.code).sorted()
            #expect(statuses == [201, 409])
            let list = try Wire.decode(
                ModelListResponse.self,
                try await client.execute(uri: "/api/v1/models", method: .get, headers: Wire.admin))
            #expect(list.models.count == 1)
        }
    }

    @Test func invalidModelsAndPathTricksAreRejectedAndStoreNothing() async throws {
        let bytes = try SharedModels.bytes("single_op/fc_64_to_10.tflite")
        let unsupported = try #require(SharedModels.replacingFirstOperatorCode(in: bytes, with: 7))  // EMBEDDING_LOOKUP
        var limits = ServerLimits()
        limits.maxModelBytes = 1 << 20
        let fleet = try TestFleet(limits: limits)
        try await fleet.test { client in
            let garbage = try await Self.upload(client, bytes: Array("definitely not a flatbuffer".utf8))
            #expect(garbage.status == .unprocessableContent)
            #expect(try Wire.errorCode(garbage) == "invalid_model")

            var truncated = bytes
            truncated.removeLast(bytes.count / 2)
            let cut = try await Self.upload(client, bytes: truncated)
            #expect(cut.status == .unprocessableContent)

            let unsupportedOp = try await Self.upload(client, bytes: unsupported)
            #expect(unsupportedOp.status == .unprocessableContent)
            #expect(try Wire.decode(ErrorResponse.self, unsupportedOp).error.message.contains("not supported"))

            let wrongLabels = try await Self.upload(client, bytes: bytes, query: "labels=a,b")
            #expect(wrongLabels.status == .badRequest)

            let zeroStd = try await Self.upload(client, bytes: bytes, query: "std=0")
            #expect(zeroStd.status == .badRequest)

            for name in ["..%2F..%2Fetc", ".hidden", "Upper", "a%00b", "a..b"] {
                let tricky = try await Self.upload(client, name: name, bytes: bytes)
                #expect(tricky.status == .badRequest, "name \(name)")
                #expect(try Wire.errorCode(tricky) == "invalid_argument")
            }
            let badVersion = try await Self.upload(client, version: "..", bytes: bytes)
            #expect(badVersion.status == .badRequest)

            let tooBig = try await Self.upload(client, bytes: [UInt8](repeating: 0, count: (1 << 20) + 1))
            #expect(tooBig.status == .contentTooLarge)

            let noAdmin = try await client.execute(
                uri: "/api/v1/models/fc/1", method: .put, body: .init(bytes: bytes))
            #expect(noAdmin.status == .unauthorized)

            let list = try Wire.decode(
                ModelListResponse.self,
                try await client.execute(uri: "/api/v1/models", method: .get, headers: Wire.admin))
            #expect(list.models.isEmpty)
        }
        let blobs = fleet.directory.appendingPathComponent("models")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: blobs.path))?.isEmpty ?? true)
    }

    @Test func blobsHaveETagsConditionalGetsAndByteRanges() async throws {
        let bytes = try SharedModels.bytes("single_op/fc_64_to_10.tflite")
        let fleet = try TestFleet()
        try await fleet.test { client in
            let signed = try Wire.decode(SignedManifest.self, try await Self.upload(client, bytes: bytes))
            let sha = try signed.decodedManifest().sha256
            let device = try await Wire.enroll(client)
            let auth = Wire.bearer(device.token)
            let uri = "/api/v1/models/fc/1.0.0/blob"

            let full = try await client.execute(uri: uri, method: .get, headers: auth)
            #expect(full.status == .ok)
            #expect(Array(buffer: full.body) == bytes)
            #expect(full.headers[.eTag] == "\"\(sha)\"")
            #expect(full.headers[.acceptRanges] == "bytes")

            var conditional = auth
            conditional[.ifNoneMatch] = "\"\(sha)\""
            let notModified = try await client.execute(uri: uri, method: .get, headers: conditional)
            #expect(notModified.status == .notModified)
            #expect(notModified.body.readableBytes == 0)

            var ranged = auth
            ranged[.range] = "bytes=10-19"
            let part = try await client.execute(uri: uri, method: .get, headers: ranged)
            #expect(part.status == .partialContent)
            #expect(Array(buffer: part.body) == Array(bytes[10...19]))
            #expect(part.headers[.contentRange] == "bytes 10-19/\(bytes.count)")

            ranged[.range] = "bytes=\(bytes.count - 100)-"
            let resume = try await client.execute(uri: uri, method: .get, headers: ranged)
            #expect(Array(buffer: resume.body) == Array(bytes.suffix(100)))

            ranged[.range] = "bytes=-7"
            let suffix = try await client.execute(uri: uri, method: .get, headers: ranged)
            #expect(Array(buffer: suffix.body) == Array(bytes.suffix(7)))

            ranged[.range] = "bytes=\(bytes.count)-"
            let outside = try await client.execute(uri: uri, method: .get, headers: ranged)
            #expect(outside.status == .rangeNotSatisfiable)
            #expect(outside.headers[.contentRange] == "bytes */\(bytes.count)")
            #expect(try Wire.errorCode(outside) == "range_not_satisfiable")

            let anonymous = try await client.execute(uri: uri, method: .get)
            #expect(anonymous.status == .unauthorized)
            let missing = try await client.execute(uri: "/api/v1/models/fc/9.9.9/blob", method: .get, headers: auth)
            #expect(missing.status == .notFound)
        }
    }

    @Test func offlineSignaturesMustVerifyWithTheFleetKey() async throws {
        let bytes = try SharedModels.bytes("single_op/fc_64_to_10.tflite")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "perch-offline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let offlineKey = Curve25519.Signing.PrivateKey()
        try Data(offlineKey.publicKey.rawRepresentation.base64EncodedString().utf8)
            .write(to: directory.appendingPathComponent(FleetSigningKey.publicKeyFileName))
        let fleet = try TestFleet(directory: directory)
        #expect(fleet.server.signingKey.privateKey == nil)
        let offlineKeyBytes = offlineKey.rawRepresentation
        try await fleet.test { client in
            let offlineKey = try Curve25519.Signing.PrivateKey(rawRepresentation: offlineKeyBytes)
            let unsigned = try Wire.decode(SignedManifest.self, try await Self.upload(client, bytes: bytes))
            #expect(unsigned.signature.isEmpty)
            let rollout = try await client.execute(
                uri: "/api/v1/rollouts", method: .post, headers: Wire.admin,
                body: try Wire.json(RolloutCreateRequest(modelName: "fc", modelVersion: "1.0.0")))
            #expect(rollout.status == .conflict)

            let uri = "/api/v1/models/fc/1.0.0/signature"
            let forged = SignedManifest(
                payload: unsigned.payload,
                signature: try Curve25519.Signing.PrivateKey().signature(for: unsigned.payload),
                keyId: "")
            let bad = try await client.execute(uri: uri, method: .put, headers: Wire.admin, body: try Wire.json(forged))
            #expect(bad.status == .unprocessableContent)
            #expect(try Wire.errorCode(bad) == "bad_signature")

            var tamperedPayload = unsigned.payload
            tamperedPayload[tamperedPayload.startIndex] = UInt8(ascii: " ")
            let tampered = SignedManifest(
                payload: tamperedPayload, signature: try offlineKey.signature(for: tamperedPayload), keyId: "")
            let changed = try await client.execute(
                uri: uri, method: .put, headers: Wire.admin, body: try Wire.json(tampered))
            #expect(changed.status == .unprocessableContent)

            let good = SignedManifest(
                payload: unsigned.payload, signature: try offlineKey.signature(for: unsigned.payload), keyId: "")
            let accepted = try await client.execute(
                uri: uri, method: .put, headers: Wire.admin, body: try Wire.json(good))
            #expect(accepted.status == .ok)
            #expect(try Wire.decode(ModelSummary.self, accepted).signed)
            let stored = try Wire.decode(
                SignedManifest.self,
                try await client.execute(uri: "/api/v1/models/fc/1.0.0/manifest", method: .get, headers: Wire.admin))
            #expect(offlineKey.publicKey.isValidSignature(stored.signature, for: stored.payload))
        }
    }
}
