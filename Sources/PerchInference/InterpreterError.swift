import PerchKernels
import PerchTFLite

/// Why a model cannot be prepared or fed: every case names where the problem is.
public enum InterpreterError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The flatbuffer itself is malformed.
    case model(ModelError)
    /// The model has no subgraph to run.
    case noSubgraph
    /// An operator the runtime does not implement (builtin code, its version, operator index).
    case unsupportedOperator(BuiltinOperator, version: Int32, operatorIndex: Int)
    /// A custom operator (never supported: a model is data, never code).
    case customOperator(name: String, operatorIndex: Int)
    /// An operator has the wrong number of inputs or outputs.
    case operandCount(BuiltinOperator, operatorIndex: Int, inputs: Int, outputs: Int)
    /// A tensor's element type is not what the operator supports.
    case unsupportedTensorType(BuiltinOperator, operatorIndex: Int, tensorIndex: Int, type: TensorType)
    /// A tensor that must be quantized has no (or malformed) quantization.
    case missingQuantization(tensorIndex: Int)
    /// A tensor that must be constant (weights, shapes, paddings) has no data in the model.
    case notConstant(tensorIndex: Int, operatorIndex: Int)
    /// A shape has a negative or unknown dimension, or is too large.
    case invalidShape(tensorIndex: Int, shape: [Int32])
    /// The kernel's Prepare refused the operator's parameters or shapes.
    case kernel(KernelError, op: BuiltinOperator, operatorIndex: Int)
    /// A tensor is read before any operator writes it and it is not a graph input or constant.
    case tensorNeverWritten(tensorIndex: Int, operatorIndex: Int)
    /// The planned arena plus the kernels' prepared weight copies exceed the allowed memory budget.
    case arenaTooLarge(needed: Int, budget: Int)
    /// Input data for a position has the wrong size or type.
    case inputMismatch(position: Int, expectedCount: Int, expectedType: ElementType, actualCount: Int, actualType: ElementType)
    /// There is no graph input or output at that position.
    case noSuchPosition(Int)

    public var description: String {
        switch self {
        case .model(let error): return "malformed model: \(error)"
        case .noSubgraph: return "the model has no subgraph"
        case .unsupportedOperator(let op, let version, let index):
            return "operator \(index): \(op) version \(version) is not supported"
        case .customOperator(let name, let index): return "operator \(index): custom operator '\(name)' is not supported"
        case .operandCount(let op, let index, let inputs, let outputs):
            return "operator \(index) (\(op)): unexpected operand count (\(inputs) inputs, \(outputs) outputs)"
        case .unsupportedTensorType(let op, let index, let tensor, let type):
            return "operator \(index) (\(op)): tensor \(tensor) has unsupported type \(type)"
        case .missingQuantization(let tensor): return "tensor \(tensor) must be quantized but has no valid quantization"
        case .notConstant(let tensor, let index):
            return "operator \(index): tensor \(tensor) must be a constant with data in the model"
        case .invalidShape(let tensor, let shape): return "tensor \(tensor) has an invalid shape \(formatDims(shape))"
        case .kernel(let error, let op, let index): return "operator \(index) (\(op)): \(error)"
        case .tensorNeverWritten(let tensor, let index):
            return "operator \(index) reads tensor \(tensor), which no earlier operator writes"
        case .arenaTooLarge(let needed, let budget):
            return "the arena and prepared weights need \(needed) bytes, over the budget of \(budget)"
        case .inputMismatch(let position, let count, let type, let actualCount, let actualType):
            return "input \(position) needs \(count) \(type) values, got \(actualCount) \(actualType)"
        case .noSuchPosition(let position): return "no tensor at position \(position)"
        }
    }
}
