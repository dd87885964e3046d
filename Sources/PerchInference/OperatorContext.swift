import PerchKernels
import PerchTFLite

/// A tensor as an operator's Prepare sees it: shape, type, quantization, and constant data if any.
struct TensorRef {
    /// Index in subgraph 0.
    let index: Int
    let tensor: Tensor
    /// Static shape as `Int`s (validated non-negative).
    let shape: [Int]
    /// Byte range of the tensor's data in the model file, for constants.
    let constantRange: Range<Int>?

    var elementCount: Int { shape.reduce(1, *) }
    var type: TensorType { tensor.type }
    var isConstant: Bool { constantRange != nil }
}

/// What a builder needs to turn one flatbuffer operator into a prepared operation.
struct OperatorContext {
    let model: TFLiteModel
    let graph: Subgraph
    let op: Operator
    let code: BuiltinOperator
    let version: Int32
    let operatorIndex: Int

    var inputCount: Int { op.inputs.count }
    var outputCount: Int { op.outputs.count }

    /// Requires the operator to have between `inputs` and `maxInputs` inputs and exactly `outputs` outputs.
    func expectOperands(inputs: Int, maxInputs: Int? = nil, outputs: Int = 1) throws(InterpreterError) {
        let upper = maxInputs ?? inputs
        guard op.inputs.count >= inputs, op.inputs.count <= upper, op.outputs.count == outputs else {
            throw .operandCount(code, operatorIndex: operatorIndex, inputs: op.inputs.count, outputs: op.outputs.count)
        }
    }

    /// Whether optional input `position` is present (TFLite marks absent optional inputs with −1).
    func hasInput(_ position: Int) -> Bool {
        position < op.inputs.count && op.inputs[position] >= 0
    }

    func input(_ position: Int) throws(InterpreterError) -> TensorRef {
        guard hasInput(position) else {
            throw .operandCount(code, operatorIndex: operatorIndex, inputs: op.inputs.count, outputs: op.outputs.count)
        }
        return try tensor(Int(op.inputs[position]))
    }

    func output(_ position: Int) throws(InterpreterError) -> TensorRef {
        guard position < op.outputs.count, op.outputs[position] >= 0 else {
            throw .operandCount(code, operatorIndex: operatorIndex, inputs: op.inputs.count, outputs: op.outputs.count)
        }
        return try tensor(Int(op.outputs[position]))
    }

    func tensor(_ index: Int) throws(InterpreterError) -> TensorRef {
        let tensor = graph.tensors[index]
        var shape: [Int] = []
        for dim in tensor.shape {
            guard dim >= 0 else { throw .invalidShape(tensorIndex: index, shape: tensor.shape) }
            shape.append(Int(dim))
        }
        return TensorRef(index: index, tensor: tensor, shape: shape, constantRange: model.data(of: tensor))
    }

    /// Fails unless `ref` has element type `type`.
    func require(_ ref: TensorRef, is type: TensorType) throws(InterpreterError) {
        guard ref.type == type else {
            throw .unsupportedTensorType(code, operatorIndex: operatorIndex, tensorIndex: ref.index, type: ref.type)
        }
    }

    /// Fails unless `ref` is a constant.
    func requireConstant(_ ref: TensorRef) throws(InterpreterError) {
        guard ref.isConstant else { throw .notConstant(tensorIndex: ref.index, operatorIndex: operatorIndex) }
    }

    /// The per-tensor scale and zero point of `ref`.
    func quantization(_ ref: TensorRef) throws(InterpreterError) -> (scale: Float, zeroPoint: Int32) {
        guard let quantization = ref.tensor.quantization, let scale = quantization.scale.first,
            scale > 0, scale.isFinite
        else { throw .missingQuantization(tensorIndex: ref.index) }
        let zeroPoint = quantization.zeroPoint.first ?? 0
        guard let narrow = Int32(exactly: zeroPoint), narrow >= -128, narrow <= 255 else {
            throw .missingQuantization(tensorIndex: ref.index)
        }
        return (scale, narrow)
    }

    /// Per-channel scales of a weights tensor: one per output channel, or one broadcast for per-tensor.
    ///
    /// TFLite Micro ignores `quantized_dimension` for 1-D tensors, and so does this (person_detect's
    /// biases say 3); for weights the count must be 1 or `channels`.
    func channelScales(_ ref: TensorRef, channels: Int) throws(InterpreterError) -> [Float] {
        guard let quantization = ref.tensor.quantization, !quantization.scale.isEmpty else {
            throw .missingQuantization(tensorIndex: ref.index)
        }
        let scales = quantization.scale
        for scale in scales where !(scale > 0 && scale.isFinite) { throw .missingQuantization(tensorIndex: ref.index) }
        if scales.count == 1 { return [Float](repeating: scales[0], count: channels) }
        guard scales.count == channels else { throw .missingQuantization(tensorIndex: ref.index) }
        return scales
    }

    /// The int32 values of a constant tensor (biases, shapes, paddings), decoded little-endian.
    func int32Values(_ ref: TensorRef) throws(InterpreterError) -> [Int32] {
        try requireConstant(ref)
        do {
            return try model.int32Values(of: ref.tensor)
        } catch {
            throw .model(error)
        }
    }

    /// Wraps a kernel's Prepare error with the operator's identity.
    func kernel<T>(_ prepare: () throws(KernelError) -> T) throws(InterpreterError) -> T {
        do {
            return try prepare()
        } catch {
            throw .kernel(error, op: code, operatorIndex: operatorIndex)
        }
    }

    /// Converts an activation from the schema to the kernels' enum.
    func shape4(_ ref: TensorRef, role: TensorRole) throws(InterpreterError) -> Shape4 {
        try kernel { () throws(KernelError) in try Shape4(extending: ref.shape, role: role) }
    }
}
