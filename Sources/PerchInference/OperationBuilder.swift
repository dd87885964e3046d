import PerchKernels
import PerchTFLite

/// Turns one flatbuffer operator into a prepared ``Operation``: TFLite Micro's `Prepare` step.
///
/// Each builder checks operand counts, element types and constant-ness, maps schema options to
/// kernel parameters and lets the kernel validate shapes and quantization; any problem becomes an
/// ``InterpreterError`` naming the operator.
enum OperationBuilder {
    /// The highest version of each builtin operator whose int8 semantics the kernels implement.
    static func build(_ context: OperatorContext, options: InterpreterOptions) throws(InterpreterError) -> PreparedOperation {
        // Only the optimized kernels use the C kernels' prepared layouts.
        let hardwareDotProduct = options.kernels == .optimized && options.hardwareDotProduct
        switch context.code {
        case .conv2D: return try buildConv2D(context, hardwareDotProduct: hardwareDotProduct)
        case .depthwiseConv2D: return try buildDepthwiseConv2D(context, hardwareDotProduct: hardwareDotProduct)
        case .fullyConnected: return try buildFullyConnected(context)
        case .averagePool2D: return try buildPool2D(context, average: true)
        case .maxPool2D: return try buildPool2D(context, average: false)
        case .add: return try buildAdd(context)
        case .mul: return try buildMul(context)
        case .softmax: return try buildSoftmax(context)
        case .logistic: return try buildLogistic(context)
        case .tanh: return try buildTanh(context)
        case .reshape: return try buildReshape(context)
        case .hardSwish: return try buildHardSwish(context)
        case .leakyRelu: return try buildLeakyRelu(context)
        case .concatenation: return try buildConcatenation(context)
        case .mean: return try buildMean(context)
        case .pad, .padV2: return try buildPad(context)
        case .resizeBilinear: return try buildResizeBilinear(context)
        case .transpose: return try buildTranspose(context)
        case .spaceToBatchND: return try buildSpaceToBatchND(context)
        case .batchToSpaceND: return try buildBatchToSpaceND(context)
        case .quantize: return try buildQuantize(context)
        case .dequantize: return try buildDequantize(context)
        default:
            throw .unsupportedOperator(context.code, version: context.version, operatorIndex: context.operatorIndex)
        }
    }
}

extension OperatorContext {
    /// The kernels' activation for a schema activation.
    func activation(_ value: ActivationFunctionType) -> FusedActivation {
        switch value {
        case .none: return .none
        case .relu: return .relu
        case .reluN1To1: return .reluN1To1
        case .relu6: return .relu6
        case .tanh: return .tanh
        case .signBit: return .signBit
        }
    }

    /// The kernels' padding for a schema padding.
    func padding(_ value: PerchTFLite.Padding) -> PerchKernels.Padding {
        value == .same ? .same : .valid
    }

    /// Fails with "unsupported operator" when the options are not of the expected kind.
    func unexpectedOptions() -> InterpreterError {
        .unsupportedOperator(code, version: version, operatorIndex: operatorIndex)
    }

    /// An int8 input/output pair with their per-tensor quantization (elementwise unary operators).
    func int8Pair() throws(InterpreterError) -> (input: TensorRef, inputQ: (scale: Float, zeroPoint: Int32), output: TensorRef, outputQ: (scale: Float, zeroPoint: Int32)) {
        let input = try self.input(0)
        let output = try self.output(0)
        try require(input, is: .int8)
        try require(output, is: .int8)
        return (input, try quantization(input), output, try quantization(output))
    }
}
