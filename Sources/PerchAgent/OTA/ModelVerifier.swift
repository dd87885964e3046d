import Crypto
import Foundation
import PerchCapture
import PerchConformance
import PerchInference
import PerchTFLite
import PerchWire

/// Checks an over-the-air model before it may run: signature, bytes, interpreter, budget, golden vectors.
///
/// A model that fails any step never runs. The golden vectors go through ``GoldenVectorCheck``, the same
/// code as `perch verify`, with tolerance zero.
public enum ModelVerifier {
    /// Verifies the fleet's Ed25519 signature over the exact payload bytes, then decodes the manifest.
    ///
    /// - Parameters:
    ///   - signed: The signed manifest from the assignment.
    ///   - publicKey: The fleet's raw 32-byte Ed25519 public key (from the configuration).
    /// - Returns: The manifest.
    /// - Throws: ``ModelRefusal/badSignature`` or ``ModelRefusal/unreadableManifest``.
    public static func manifest(_ signed: SignedManifest, publicKey: Data) throws(ModelRefusal) -> ModelManifest {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey),
            key.isValidSignature(signed.signature, for: signed.payload)
        else { throw .badSignature }
        guard let manifest = try? signed.decodedManifest() else { throw .unreadableManifest }
        return manifest
    }

    /// SHA-256 as lowercase hex.
    public static func sha256Hex(_ bytes: some DataProtocol) -> String {
        SHA256.hash(data: bytes).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Validates downloaded bytes against a verified manifest and returns the runnable package.
    ///
    /// - Parameters:
    ///   - bytes: The `.tflite` bytes.
    ///   - manifest: The verified manifest.
    ///   - memoryBudget: The board's arena budget, bytes.
    /// - Returns: The package the pipeline swaps in.
    /// - Throws: ``ModelRefusal``.
    public static func validate(_ bytes: [UInt8], manifest: ModelManifest, memoryBudget: Int) throws(ModelRefusal)
        -> ModelPackage
    {
        guard Int64(bytes.count) == manifest.size else {
            throw .sizeMismatch(expected: manifest.size, actual: Int64(bytes.count))
        }
        let digest = sha256Hex(bytes)
        guard digest == manifest.sha256.lowercased() else {
            throw .hashMismatch(expected: manifest.sha256, actual: digest)
        }
        let model: TFLiteModel
        do { model = try TFLiteModel(bytes: bytes) } catch { throw .invalidModel("\(error)") }
        let interpreter: Interpreter
        do {
            interpreter = try Interpreter(model: model)
        } catch {
            throw .invalidModel("\(error)")
        }
        // What the model takes beyond its file: the arena and the kernels' prepared weight copies.
        let workingMemory = interpreter.arenaByteCount + interpreter.preparedWeightByteCount
        guard workingMemory <= memoryBudget else {
            throw .overBudget(needed: workingMemory, budget: memoryBudget)
        }
        guard let input = interpreter.inputs.first else { throw .invalidModel("no input") }
        guard input.shape == manifest.input.shape else {
            throw .manifestMismatch("input shape \(input.shape), manifest says \(manifest.input.shape)")
        }
        for vector in manifest.goldenVectors {
            try check(vector, on: interpreter)
        }
        let recipe: PreprocessingRecipe
        do {
            let square = input.shape.count == 4 && input.shape[1] == input.shape[2]
            recipe = try ModelPackage.recipe(manifest.preprocessing, squareInput: square)
        } catch {
            throw .invalidModel("preprocessing: \(error)")
        }
        let package = ModelPackage(
            bytes: bytes, name: manifest.name, version: manifest.version, labels: manifest.labels,
            normalization: ModelPackage.normalization(
                mean: manifest.normalization.mean, std: manifest.normalization.std),
            recipe: recipe)
        // The pipeline must be able to feed it: an image input of 1 or 3 channels.
        do {
            _ = try LoadedModel.inputSpec(for: input, normalization: package.normalization)
        } catch {
            throw .invalidModel("\(error)")
        }
        return package
    }

    static func check(_ vector: GoldenVector, on interpreter: Interpreter) throws(ModelRefusal) {
        let input = interpreter.inputs[0]
        let values = GoldenInput.int8(seed: vector.seed, count: input.elementCount)
        let inputHash = sha256Hex(values.map { UInt8(bitPattern: $0) })
        guard inputHash == vector.inputSHA256.lowercased() else {
            throw .goldenVectorMismatch(seed: vector.seed, detail: "generated input hashes to \(inputHash)")
        }
        guard vector.outputs.count == interpreter.outputs.count else {
            throw .goldenVectorMismatch(
                seed: vector.seed,
                detail: "\(vector.outputs.count) outputs listed, model has \(interpreter.outputs.count)")
        }
        let outputs = interpreter.outputs.enumerated().map { position, info in
            TensorVector(
                index: info.index, position: position, shape: info.shape, data: .int8(vector.outputs[position]))
        }
        let vectorCase = VectorCase(
            name: "seed \(vector.seed)",
            inputs: [TensorVector(index: input.index, position: 0, shape: input.shape, data: .int8(values))],
            outputs: outputs)
        let outcome = GoldenVectorCheck.run(vectorCase, on: interpreter)
        if let failure = outcome.failure { throw .goldenVectorMismatch(seed: vector.seed, detail: "\(failure)") }
    }
}
