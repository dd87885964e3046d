import ArgumentParser
import Foundation
import PerchInference

/// `perch inspect MODEL`: operators, tensors, inputs/outputs, MACs, weight and arena bytes.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Describe a .tflite model and what running it costs.")

    @Argument(help: "The .tflite model.") var model: String
    @Flag(help: "Print JSON.") var json = false
    @Flag(help: "List every tensor (human output lists inputs and outputs only).") var tensors = false

    func run() throws {
        let parsed = try loadModel(model)
        let summary: ModelSummary
        do {
            summary = try ModelSummary(model: parsed)
        } catch {
            throw CLIError.interpreter(path: model, error)
        }
        // The arena size needs a prepared interpreter; a model Perch cannot run is still described.
        let arena: Result<PreparedMemory, InterpreterError>
        do {
            let interpreter = try Interpreter(model: parsed)
            arena = .success(
                PreparedMemory(arena: interpreter.arenaByteCount, preparedWeights: interpreter.preparedWeightByteCount))
        } catch {
            arena = .failure(error)
        }
        if json {
            printJSON(InspectReport(model: model, summary: summary, arena: arena))
            return
        }
        print(
            "model:     \(model) (schema v\(summary.schemaVersion), \(summary.operatorSequence.count) operators, \(summary.tensors.count) tensors)"
        )
        print("operators:")
        for op in summary.operators { print("  \(op.count) × \(op.name) (v\(op.version))") }
        print("inputs:")
        for index in summary.inputs { print("  " + describe(summary.tensors[index])) }
        print("outputs:")
        for index in summary.outputs { print("  " + describe(summary.tensors[index])) }
        print("MACs:      \(summary.macs)")
        print("weights:   \(summary.weightBytes) bytes")
        switch arena {
        case .success(let memory):
            print("arena:     \(memory.arena) bytes")
            print("prepared:  \(memory.preparedWeights) bytes of weight copies in the optimized kernels' layouts")
        case .failure(let error): print("arena:     cannot prepare: \(error)")
        }
        if tensors {
            print("tensors:")
            for row in summary.tensors { print("  " + describe(row)) }
        }
    }

    private func describe(_ row: ModelSummary.TensorRow) -> String {
        var text = "\(row.index) '\(row.name)' \(row.type) \(formatShape(row.shape))"
        if let scale = row.scale {
            text +=
                row.scaleCount > 1
                ? " per-channel (\(row.scaleCount) scales)"
                : String(format: " scale %g zero point %lld", scale, row.zeroPoint ?? 0)
        }
        if row.isConstant { text += " const" }
        return text
    }
}

/// The JSON document of `perch inspect --json`.
struct InspectReport: Encodable {
    struct Op: Encodable {
        var name: String
        var version: Int32
        var count: Int
    }

    struct Tensor: Encodable {
        var index: Int
        var name: String
        var shape: [Int]
        var type: String
        var scale: Float?
        var zeroPoint: Int64?
        var scaleCount: Int
        var constant: Bool

        enum CodingKeys: String, CodingKey {
            case index, name, shape, type, scale, constant
            case zeroPoint = "zero_point"
            case scaleCount = "scale_count"
        }
    }

    var model: String
    var schemaVersion: UInt32
    var operators: [Op]
    var tensors: [Tensor]
    var inputs: [Int]
    var outputs: [Int]
    var macs: Int
    var weightBytes: Int
    var arenaBytes: Int?
    var preparedWeightBytes: Int?
    var prepareError: String?

    enum CodingKeys: String, CodingKey {
        case model, operators, tensors, inputs, outputs, macs
        case schemaVersion = "schema_version"
        case weightBytes = "weight_bytes"
        case arenaBytes = "arena_bytes"
        case preparedWeightBytes = "prepared_weight_bytes"
        case prepareError = "prepare_error"
    }

    init(model: String, summary: ModelSummary, arena: Result<PreparedMemory, InterpreterError>) {
        self.model = model
        schemaVersion = summary.schemaVersion
        operators = summary.operators.map { Op(name: $0.name, version: $0.version, count: $0.count) }
        tensors = summary.tensors.map {
            Tensor(
                index: $0.index, name: $0.name, shape: $0.shape, type: $0.type, scale: $0.scale,
                zeroPoint: $0.zeroPoint, scaleCount: $0.scaleCount, constant: $0.isConstant)
        }
        inputs = summary.inputs
        outputs = summary.outputs
        macs = summary.macs
        weightBytes = summary.weightBytes
        switch arena {
        case .success(let memory):
            arenaBytes = memory.arena
            preparedWeightBytes = memory.preparedWeights
        case .failure(let error): prepareError = error.description
        }
    }
}

/// What a prepared model takes in memory beyond its file.
struct PreparedMemory {
    /// The tensor arena, bytes.
    var arena: Int
    /// The optimized kernels' weight copies, bytes.
    var preparedWeights: Int
}
