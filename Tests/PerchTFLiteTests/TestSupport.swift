import Foundation
import PerchTFLite

/// Parses a dotted path such as `Model.subgraphs[0].tensors[1].buffer` into a ``FieldPath``.
func fieldPath(_ text: String) -> FieldPath {
    var components: [FieldPath.Component] = []
    for part in text.split(separator: ".") {
        var name = Substring(part)
        var indices: [Int] = []
        while let open = name.lastIndex(of: "[") {
            let number = name[name.index(after: open)..<name.index(before: name.endIndex)]
            indices.insert(Int(number)!, at: 0)
            name = name[..<open]
        }
        components.append(.field(String(name)))
        components += indices.map { .index($0) }
    }
    return FieldPath(components)
}

/// The shared test models, `../shared/models` next to the repository root.
enum SharedModels {
    /// `<repo>/../shared/models`, located from this file (repo root = 3 levels up).
    static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/models").standardizedFileURL

    /// Whether the shared models are present (they are not part of the repository).
    static var available: Bool {
        FileManager.default.fileExists(
            atPath: directory.appendingPathComponent("person_detect/person_detect.tflite").path)
    }

    /// The bytes of `relativePath` under the models directory.
    static func bytes(_ relativePath: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(relativePath)))
    }

    /// Names of the single-operator models.
    static let singleOpNames = [
        "add", "avgpool2x2", "avgpool3x3_s2_same", "conv1x1", "conv3x3_dil2_static", "conv3x3_s1_same_relu",
        "conv3x3_s2_valid", "conv5x5_s2_same_relu6", "dw3x3_s1_same_relu6", "dw3x3_s2_same_mult2", "dw3x3_s2_valid",
        "fc_256_to_32_relu", "fc_64_to_10", "gap_fc_softmax", "hard_swish_like", "leaky_relu", "logistic", "mul",
        "pad_conv", "resize_bilinear", "softmax_10", "tanh",
    ]
}

/// Checks everything a successfully loaded model promises; returns the violations found (empty = fine).
func invariantViolations(_ model: TFLiteModel) -> [String] {
    var problems: [String] = []
    if model.subgraphs.isEmpty { problems.append("no subgraph") }
    for buffer in model.buffers where buffer.range.lowerBound < 0 || buffer.range.upperBound > model.bytes.count {
        problems.append("buffer outside file")
    }
    for code in model.operatorCodes where code.builtin.rawValue < 0 { problems.append("negative builtin code") }
    for subgraph in model.subgraphs {
        let count = subgraph.tensors.count
        for index in subgraph.inputs + subgraph.outputs where index < 0 || Int(index) >= count {
            problems.append("subgraph tensor index \(index)")
        }
        for tensor in subgraph.tensors {
            if tensor.shape.contains(where: { $0 < 0 }) { problems.append("negative dimension") }
            if Int(tensor.buffer) >= model.buffers.count { problems.append("buffer index") }
            if let q = tensor.quantization, !q.scale.isEmpty, !q.zeroPoint.isEmpty, q.scale.count != q.zeroPoint.count {
                problems.append("quantization counts")
            }
            if let range = model.data(of: tensor), !tensor.isSparse, let size = tensor.type.byteSize {
                if range.count != (tensor.elementCount ?? -1) * size { problems.append("data size") }
            }
        }
        for op in subgraph.operators {
            if model.operatorCode(of: op) == nil { problems.append("opcode index") }
            for index in op.inputs where index != -1 && (index < 0 || Int(index) >= count) { problems.append("input") }
            for index in op.outputs where index < 0 || Int(index) >= count { problems.append("output") }
        }
    }
    return problems
}

/// SplitMix64: a small deterministic generator for the mutation sweep.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
