import Foundation
import PerchCapture
import PerchInference

/// The machine-readable description shipped next to a model (`cat_v1.tflite` → `cat_v1.json`):
/// labels, how to turn an 8-bit image into the model's input, and the decision rule.
struct ModelSidecar: Decodable {
    struct Input: Decodable {
        var normalization: String?
        /// How the image is decoded (`input.decode`), e.g. "full-size JPEG decode …".
        var decode: String?
        /// How the image is cropped (`input.crop`).
        var crop: String?
        /// The resize filter (`input.resize`).
        var resize: String?
        /// How the 256-entry table is computed (`input.quantization_table`).
        var quantizationTable: String?

        enum CodingKeys: String, CodingKey {
            case normalization, decode, crop, resize
            case quantizationTable = "quantization_table"
        }
    }

    var labels: [String]?
    var input: Input?
    /// The positive class's label (`positive_label`), for binary metrics and the threshold rule.
    var positiveLabel: String?
    /// The positive class's output index (`positive_index`).
    var positiveIndex: Int?
    /// Positive iff `output[positive] >= decisionThresholdInt8` (`decision_threshold_int8`); absent: argmax.
    var decisionThresholdInt8: Int?

    enum CodingKeys: String, CodingKey {
        case labels, input
        case positiveLabel = "positive_label"
        case positiveIndex = "positive_index"
        case decisionThresholdInt8 = "decision_threshold_int8"
    }

    /// The output index of the positive class: `positive_index`, else the index of `positive_label` in `labels`.
    var resolvedPositiveIndex: Int? {
        if let positiveIndex { return positiveIndex }
        guard let positiveLabel, let labels else { return nil }
        return labels.firstIndex(of: positiveLabel)
    }

    /// The preprocessing the sidecar names for `tensor`: the input spec (normalization, table rounding) and
    /// the ``Preprocessor`` options (decode, crop, filter); absent steps keep the daemon's defaults.
    ///
    /// - Throws: ``CLIError/badInput(_:)`` without a normalization, for an unrecognized step or a non-image tensor.
    func preprocessing(for tensor: TensorInfo, path: String) throws -> (spec: InputSpec, options: Preprocessor.Options)
    {
        guard let normalization = input?.normalization else {
            throw CLIError.badInput("\(path): the sidecar does not give input.normalization")
        }
        let spec = try inputSpec(for: tensor, normalization: normalization)
        let recipe: PreprocessingRecipe
        do {
            recipe = try PreprocessingRecipe(
                decode: input?.decode, crop: input?.crop, resize: input?.resize,
                quantizationTable: input?.quantizationTable, squareInput: spec.width == spec.height)
        } catch {
            throw CLIError.badInput("\(path): \(error)")
        }
        return (recipe.applied(to: spec), recipe.options)
    }

    /// Reads `<model path without .tflite>.json` when it exists.
    static func load(forModel path: String) throws -> ModelSidecar? {
        let url = URL(fileURLWithPath: path).deletingPathExtension().appendingPathExtension("json")
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            return try JSONDecoder().decode(ModelSidecar.self, from: Data(contentsOf: url))
        } catch {
            throw CLIError.badInput("\(url.path): not a valid model sidecar: \(error)")
        }
    }
}

/// Builds the capture pipeline's description of a model input from the interpreter's input tensor.
///
/// The layout is read from the shape (`[1,H,W,C]` or `[1,C,H,W]` with C = 1 or 3); the
/// normalization must be given (flag or sidecar): it is never guessed.
func inputSpec(for tensor: TensorInfo, normalization text: String) throws -> InputSpec {
    guard let normalization = Normalization(parsing: text) else {
        throw CLIError.badInput("unknown normalization '\(text)' (use [0,255], [0,1], [-1,1] or imagenet)")
    }
    guard tensor.elementType == .int8, let scale = tensor.scale, let zeroPoint = tensor.zeroPoint else {
        throw CLIError.badInput("input \(tensor.index) is \(tensor.elementType), not a quantized int8 image tensor")
    }
    do {
        return try InputSpec(
            int8TensorShape: tensor.shape, scale: Double(scale), zeroPoint: Int(zeroPoint), normalization: normalization)
    } catch {
        switch error {
        case .notAnImage(let shape):
            throw CLIError.badInput("input shape \(formatShape(shape)) is not an image ([1,H,W,C] or [1,C,H,W])")
        case .unsupportedChannels(let channels, let shape):
            throw CLIError.badInput("input shape \(formatShape(shape)) has \(channels) channels; images need 1 or 3")
        }
    }
}

/// Whether a path names an image file the capture pipeline decodes (rather than raw tensor bytes).
func isImageFile(_ path: String) -> Bool {
    ["jpg", "jpeg", "ppm", "pgm", "bmp"].contains(URL(fileURLWithPath: path).pathExtension.lowercased())
}
