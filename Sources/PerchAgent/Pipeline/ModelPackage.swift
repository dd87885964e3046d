import Foundation
import PerchCapture
import PerchInference
import PerchTFLite
import PerchWire

/// A model's bytes and what the daemon needs to feed it and name its outputs.
public struct ModelPackage: Sendable, Equatable {
    /// The `.tflite` bytes.
    public var bytes: [UInt8]
    /// The model's name, as results report it.
    public var name: String
    /// The model's version, as results report it.
    public var version: String
    /// Output labels, in output order.
    public var labels: [String]
    /// How 8-bit pixels map to the model's real-valued input.
    public var normalization: PerchCapture.Normalization
    /// Decode, crop, resize and table rounding, from the sidecar (the daemon's defaults otherwise).
    public var recipe: PreprocessingRecipe

    /// Creates a package.
    public init(
        bytes: [UInt8], name: String, version: String, labels: [String], normalization: PerchCapture.Normalization,
        recipe: PreprocessingRecipe = PreprocessingRecipe()
    ) {
        self.bytes = bytes
        self.name = name
        self.version = version
        self.labels = labels
        self.normalization = normalization
        self.recipe = recipe
    }

    /// Reads the factory model of a configuration and its sidecar (labels, normalization).
    ///
    /// - Throws: ``AgentError/model(_:)`` when the model or its sidecar cannot be read.
    public static func factory(_ configuration: AgentConfiguration) throws(AgentError) -> ModelPackage {
        guard let data = FileManager.default.contents(atPath: configuration.model.path) else {
            throw .model("cannot read model \(configuration.model.path)")
        }
        var labels: [String] = []
        var normalization = configuration.model.normalization
        var recipe = PreprocessingRecipe()
        if let sidecar = FileManager.default.contents(atPath: configuration.sidecarPath) {
            struct Sidecar: Decodable {
                struct Input: Decodable {
                    var normalization: String?
                    var height: Int?
                    var width: Int?
                    var decode: String?
                    var crop: String?
                    var resize: String?
                    var quantizationTable: String?

                    enum CodingKeys: String, CodingKey {
                        case normalization, height, width, decode, crop, resize
                        case quantizationTable = "quantization_table"
                    }
                }
                var labels: [String]?
                var input: Input?
            }
            guard let decoded = try? JSONDecoder().decode(Sidecar.self, from: sidecar) else {
                throw .model("\(configuration.sidecarPath) is not a valid model sidecar")
            }
            labels = decoded.labels ?? []
            if normalization.isEmpty { normalization = decoded.input?.normalization ?? "" }
            if let input = decoded.input {
                do {
                    recipe = try PreprocessingRecipe(
                        decode: input.decode, crop: input.crop, resize: input.resize,
                        quantizationTable: input.quantizationTable,
                        squareInput: input.height != nil && input.height == input.width)
                } catch {
                    throw .model("\(configuration.sidecarPath): \(error)")
                }
            }
        }
        guard !normalization.isEmpty else {
            throw .model("no input normalization: set model.normalization or ship a sidecar with input.normalization")
        }
        guard let parsed = PerchCapture.Normalization(parsing: normalization) else {
            throw .model("unknown normalization '\(normalization)'")
        }
        return ModelPackage(
            bytes: [UInt8](data), name: configuration.model.name, version: configuration.model.version,
            labels: labels, normalization: parsed, recipe: recipe)
    }

    /// The capture pipeline's normalization for a manifest's `real = (pixel - mean) / std`.
    ///
    /// The three common cases map to their exact named forms, so the quantization table is computed
    /// the same way as for a sidecar model.
    public static func normalization(mean: Double, std: Double) -> PerchCapture.Normalization {
        switch (mean, std) {
        case (127.5, 127.5): .minusOneToOne
        case (0, 1): .zeroTo255
        case (0, 255): .zeroToOne
        default: .meanStd(mean: [mean / 255], std: [std / 255])
        }
    }

    /// The recipe a manifest's preprocessing names; `nil` is the daemon's default recipe.
    ///
    /// - Parameter squareInput: Whether the model's input is square (a "center square" crop needs it).
    /// - Throws: ``PreprocessingRecipe/Unrecognized`` for a step Perch does not implement.
    public static func recipe(_ preprocessing: Preprocessing?, squareInput: Bool) throws(PreprocessingRecipe
        .Unrecognized)
        -> PreprocessingRecipe
    {
        guard let preprocessing else { return PreprocessingRecipe() }
        return try PreprocessingRecipe(
            decode: preprocessing.decode, crop: preprocessing.crop, resize: preprocessing.resize,
            quantizationTable: preprocessing.quantizationTable, squareInput: squareInput)
    }

    /// A recipe in a manifest's short spellings: the inverse of ``recipe(_:squareInput:)``.
    public static func manifestPreprocessing(_ recipe: PreprocessingRecipe) -> Preprocessing {
        let spellings = recipe.spellings
        return Preprocessing(
            decode: spellings.decode, crop: spellings.crop, resize: spellings.resize,
            quantizationTable: spellings.quantizationTable)
    }

    /// The manifest's `real = (pixel - mean) / std` for a capture normalization: the inverse of
    /// ``normalization(mean:std:)``.
    ///
    /// - Returns: `nil` for a per-channel mean/std, which one (mean, std) pair cannot express.
    public static func manifestNormalization(_ normalization: PerchCapture.Normalization) -> PerchWire.Normalization? {
        switch normalization {
        case .minusOneToOne: return .init(mean: 127.5, std: 127.5)
        case .zeroTo255: return .init(mean: 0, std: 1)
        case .zeroToOne: return .init(mean: 0, std: 255)
        case .meanStd(let mean, let std):
            guard Set(mean).count == 1, Set(std).count == 1 else { return nil }
            return .init(mean: mean[0] * 255, std: std[0] * 255)
        }
    }
}

/// A model ready to run: its interpreter and the capture pipeline's description of its input.
///
/// Not `Sendable`: the interpreter lives on the inference thread.
final class LoadedModel {
    let package: ModelPackage
    let interpreter: Interpreter
    let spec: InputSpec
    let outputScale: Double
    let outputZeroPoint: Int

    init(_ package: ModelPackage, memoryBudget: Int) throws(AgentError) {
        let model: TFLiteModel
        do { model = try TFLiteModel(bytes: package.bytes) } catch { throw .model("model does not parse: \(error)") }
        do {
            interpreter = try Interpreter(model: model, options: InterpreterOptions(arenaBudget: memoryBudget))
        } catch {
            throw .model("\(error)")
        }
        guard let input = interpreter.inputs.first, let output = interpreter.outputs.first else {
            throw .model("the model has no input or no output")
        }
        guard output.elementType == .int8, let scale = output.scale, let zeroPoint = output.zeroPoint else {
            throw .model("output 0 is not a quantized int8 tensor")
        }
        self.package = package
        self.spec = package.recipe.applied(to: try Self.inputSpec(for: input, normalization: package.normalization))
        self.outputScale = Double(scale)
        self.outputZeroPoint = Int(zeroPoint)
    }

    /// Builds the input description from the input tensor (`[1,H,W,C]` or `[1,C,H,W]`, C = 1 or 3).
    static func inputSpec(for tensor: TensorInfo, normalization: PerchCapture.Normalization) throws(AgentError)
        -> InputSpec
    {
        guard tensor.elementType == .int8, let scale = tensor.scale, let zeroPoint = tensor.zeroPoint else {
            throw .model("input 0 is not a quantized int8 image tensor")
        }
        guard scale > 0 else { throw .model("input shape or scale is not positive") }
        do {
            return try InputSpec(
                int8TensorShape: tensor.shape, scale: Double(scale), zeroPoint: Int(zeroPoint),
                normalization: normalization)
        } catch {
            switch error {
            case .notAnImage(let shape): throw .model("input shape \(shape) is not an image")
            case .unsupportedChannels(let channels, let shape):
                throw .model("input shape \(shape) has \(channels) channels")
            }
        }
    }
}
