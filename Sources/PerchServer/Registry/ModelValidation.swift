import Crypto
import PerchInference
import PerchTFLite
import PerchWire

/// What the server learned about an uploaded model by preparing and running it with Perch's interpreter.
struct ModelAnalysis: Sendable {
    /// The (single) input tensor.
    var input: TensorSpec
    /// Element count of the first output tensor (the number of classes).
    var outputElementCount: Int?
    /// The arena the interpreter planned, in bytes.
    var arenaBytes: Int64
    /// Seeded inputs with the outputs of Perch's interpreter.
    var goldenVectors: [GoldenVector]
}

/// Why an uploaded model was rejected; `description` is safe to show to the client.
struct ModelValidationError: Error, CustomStringConvertible {
    var description: String
}

/// Model validation with `PerchInference`: the only file of the server that talks to the inference core.
enum ModelValidation {
    /// The seeds of the golden vectors every manifest carries.
    static let goldenSeeds: [UInt64] = [1, 2, 3]

    /// Parses the model (bounds-checked, throws on any malformed byte), prepares it with Perch's
    /// interpreter (every operator supported, shapes and quantization valid, arena planned) and runs the
    /// reference kernels on seeded inputs to produce golden vectors.
    ///
    /// - Parameter bytes: The `.tflite` file.
    /// - Returns: The input spec, output size, arena size and golden vectors.
    /// - Throws: ``ModelValidationError`` naming the problem (from `ModelError` / `InterpreterError`).
    static func analyze(_ bytes: [UInt8]) throws(ModelValidationError) -> ModelAnalysis {
        let model: TFLiteModel
        do {
            model = try TFLiteModel(bytes: bytes)
        } catch {
            throw ModelValidationError(description: "not a valid .tflite model: \(error)")
        }
        let interpreter: Interpreter
        do {
            // Reference kernels define the expected outputs; devices run their optimized kernels against them.
            interpreter = try Interpreter(model: model, options: InterpreterOptions(kernels: .reference))
        } catch {
            throw ModelValidationError(description: "model cannot run on Perch: \(error)")
        }
        guard interpreter.inputs.count == 1, let input = interpreter.inputs.first else {
            throw ModelValidationError(
                description: "a camera model needs exactly one input, this one has \(interpreter.inputs.count)")
        }
        guard input.elementType == .int8, let scale = input.scale, let zeroPoint = input.zeroPoint else {
            throw ModelValidationError(
                description: "the input must be a quantized int8 tensor, not \(input.elementType)")
        }
        guard !interpreter.outputs.isEmpty, interpreter.outputs.allSatisfy({ $0.elementType == .int8 }) else {
            throw ModelValidationError(description: "every output must be an int8 tensor")
        }

        var vectors: [GoldenVector] = []
        for seed in goldenSeeds {
            let values = GoldenInput.int8(seed: seed, count: input.elementCount)
            do {
                try interpreter.setInput(0, .int8(values))
            } catch {
                throw ModelValidationError(description: "cannot feed the input: \(error)")
            }
            interpreter.invoke()
            var outputs: [[Int8]] = []
            for position in interpreter.outputs.indices {
                guard case .int8(let output) = interpreter.output(position) else {
                    throw ModelValidationError(description: "output \(position) is not int8")
                }
                outputs.append(output)
            }
            let inputBytes = values.map { UInt8(bitPattern: $0) }
            vectors.append(
                GoldenVector(seed: seed, inputSHA256: SHA256.hash(data: inputBytes).hexString, outputs: outputs))
        }
        return ModelAnalysis(
            input: TensorSpec(shape: input.shape, dtype: "int8", scale: Double(scale), zeroPoint: Int(zeroPoint)),
            outputElementCount: interpreter.outputs[0].elementCount,
            arenaBytes: Int64(interpreter.arenaByteCount),
            goldenVectors: vectors)
    }
}
