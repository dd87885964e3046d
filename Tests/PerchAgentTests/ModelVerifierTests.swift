import Crypto
import Foundation
import PerchAgent
import PerchCapture
import PerchInference
import PerchTFLite
import PerchWire
import Testing

@Suite(.enabled(if: TestPaths.catModelExists, "models/cat/cat_v1.tflite is absent"))
struct ModelVerifierTests {
    static let budget = 16 * 1024 * 1024

    /// A manifest for `bytes` whose golden vectors are computed by running the core, as the server does.
    static func manifest(for bytes: [UInt8], name: String = "cat", version: String = "v9") throws -> ModelManifest {
        let interpreter = try Interpreter(model: try TFLiteModel(bytes: bytes))
        let input = interpreter.inputs[0]
        let vectors = try [UInt64(1), 2].map { seed -> GoldenVector in
            let values = GoldenInput.int8(seed: seed, count: input.elementCount)
            try interpreter.setInput(0, .int8(values))
            interpreter.invoke()
            let outputs = interpreter.outputs.indices.map { position -> [Int8] in
                guard case .int8(let data) = interpreter.output(position) else { return [] }
                return data
            }
            return GoldenVector(
                seed: seed, inputSHA256: ModelVerifier.sha256Hex(values.map { UInt8(bitPattern: $0) }),
                outputs: outputs)
        }
        return ModelManifest(
            name: name, version: version, sha256: ModelVerifier.sha256Hex(bytes), size: Int64(bytes.count),
            input: TensorSpec(
                shape: input.shape, dtype: "int8", scale: Double(input.scale ?? 0), zeroPoint: Int(input.zeroPoint ?? 0)
            ),
            normalization: PerchWire.Normalization(mean: 127.5, std: 127.5), labels: ["non_cat", "cat"],
            arenaBytes: Int64(interpreter.arenaByteCount), goldenVectors: vectors, createdAtMs: 0)
    }

    static func sign(_ manifest: ModelManifest, with key: Curve25519.Signing.PrivateKey) throws -> SignedManifest {
        let payload = try manifest.canonicalJSON()
        return SignedManifest(payload: payload, signature: try key.signature(for: payload), keyId: "test")
    }

    static func catBytes() throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: TestPaths.catModel)))
    }

    @Test func aGenuineModelPassesEveryStep() throws {
        let key = Curve25519.Signing.PrivateKey()
        let bytes = try Self.catBytes()
        let signed = try Self.sign(try Self.manifest(for: bytes), with: key)
        let manifest = try ModelVerifier.manifest(signed, publicKey: key.publicKey.rawRepresentation)
        let package = try ModelVerifier.validate(bytes, manifest: manifest, memoryBudget: Self.budget)
        #expect(package.version == "v9" && package.labels == ["non_cat", "cat"])
        #expect(package.normalization == .minusOneToOne)
    }

    @Test func aWrongSignatureIsRefused() throws {
        let bytes = try Self.catBytes()
        let signed = try Self.sign(try Self.manifest(for: bytes), with: Curve25519.Signing.PrivateKey())
        let fleet = Curve25519.Signing.PrivateKey().publicKey.rawRepresentation
        #expect(throws: ModelRefusal.badSignature) { try ModelVerifier.manifest(signed, publicKey: fleet) }
        // A payload altered after signing fails the same way.
        let key = Curve25519.Signing.PrivateKey()
        var altered = try Self.sign(try Self.manifest(for: bytes), with: key)
        altered.payload = try Self.manifest(for: bytes, version: "v10").canonicalJSON()
        #expect(throws: ModelRefusal.badSignature) {
            try ModelVerifier.manifest(altered, publicKey: key.publicKey.rawRepresentation)
        }
    }

    @Test func aTamperedBlobIsRefused() throws {
        var bytes = try Self.catBytes()
        let manifest = try Self.manifest(for: bytes)
        bytes[bytes.count / 2] ^= 0x01
        #expect(throws: ModelRefusal.self) {
            try ModelVerifier.validate(bytes, manifest: manifest, memoryBudget: Self.budget)
        }
        do {
            _ = try ModelVerifier.validate(bytes, manifest: manifest, memoryBudget: Self.budget)
        } catch {
            guard case .hashMismatch(let expected, _) = error else {
                Issue.record("expected a hash mismatch, got \(error)")
                return
            }
            #expect(expected == manifest.sha256)
        }
        #expect(throws: ModelRefusal.sizeMismatch(expected: manifest.size, actual: manifest.size - 1)) {
            try ModelVerifier.validate(Array(bytes.dropLast()), manifest: manifest, memoryBudget: Self.budget)
        }
    }

    @Test func anUnsupportedOperatorIsRefused() throws {
        let path = TestPaths.repository.appendingPathComponent(
            "Tests/PerchInferenceTests/Fixtures/unsupported_op.tflite")
        let bytes = [UInt8](try Data(contentsOf: path))
        var manifest = try Self.manifest(for: try Self.catBytes())
        manifest.sha256 = ModelVerifier.sha256Hex(bytes)
        manifest.size = Int64(bytes.count)
        do {
            _ = try ModelVerifier.validate(bytes, manifest: manifest, memoryBudget: Self.budget)
            Issue.record("an unsupported operator was accepted")
        } catch {
            guard case .invalidModel(let why) = error else {
                Issue.record("expected invalidModel, got \(error)")
                return
            }
            #expect(why.contains("not supported"))
        }
    }

    @Test func theManifestsPreprocessingIsWhatThePipelineUsesAndAnUnknownStepIsRefused() throws {
        let key = Curve25519.Signing.PrivateKey()
        let bytes = try Self.catBytes()
        var manifest = try Self.manifest(for: bytes)
        manifest.preprocessing = Preprocessing(
            decode: "full", crop: "center-crop", resize: "box", quantizationTable: "round_half_away_from_zero float64")
        let verified = try ModelVerifier.manifest(
            try Self.sign(manifest, with: key), publicKey: key.publicKey.rawRepresentation)
        let package = try ModelVerifier.validate(bytes, manifest: verified, memoryBudget: Self.budget)
        #expect(package.recipe.options.decodeAtScale == false)
        #expect(package.recipe.options.filter == .box)
        #expect(package.recipe.rounding == .toNearestOrAwayFromZero && package.recipe.snapsNearTies == false)
        // Written back to the slot in the same spellings.
        #expect(ModelPackage.manifestPreprocessing(package.recipe) == manifest.preprocessing)

        // No preprocessing (an older manifest): the daemon's defaults.
        manifest.preprocessing = nil
        #expect(try ModelVerifier.validate(bytes, manifest: manifest, memoryBudget: Self.budget).recipe == .init())

        manifest.preprocessing = Preprocessing(resize: "lanczos")
        #expect(throws: ModelRefusal.invalidModel("preprocessing: unrecognized input.resize: 'lanczos'")) {
            try ModelVerifier.validate(bytes, manifest: manifest, memoryBudget: Self.budget)
        }
    }

    @Test func goldenVectorsThatDoNotReproduceAreRefused() throws {
        let bytes = try Self.catBytes()
        var manifest = try Self.manifest(for: bytes)
        manifest.goldenVectors[1].outputs[0][0] &+= 1
        do {
            _ = try ModelVerifier.validate(bytes, manifest: manifest, memoryBudget: Self.budget)
            Issue.record("a wrong golden vector was accepted")
        } catch {
            guard case .goldenVectorMismatch(let seed, _) = error else {
                Issue.record("expected goldenVectorMismatch, got \(error)")
                return
            }
            #expect(seed == 2)
        }
    }

    @Test func aModelOverTheMemoryBudgetIsRefused() throws {
        let bytes = try Self.catBytes()
        let manifest = try Self.manifest(for: bytes)
        do {
            _ = try ModelVerifier.validate(bytes, manifest: manifest, memoryBudget: 1024)
            Issue.record("an over-budget model was accepted")
        } catch {
            guard case .overBudget(let needed, let budget) = error else {
                Issue.record("expected overBudget, got \(error)")
                return
            }
            #expect(needed > 1024 && budget == 1024)
        }
    }
}
