import PerchKernels
import PerchTFLite

// ADD, MUL, SOFTMAX, LOGISTIC, TANH, RESHAPE.

extension OperationBuilder {
    static func buildAdd(_ context: OperatorContext) throws(InterpreterError) -> PreparedOperation {
        try context.expectOperands(inputs: 2)
        var activation = FusedActivation.none
        if case .add(let options) = context.op.options { activation = context.activation(options.fusedActivation) }
        let (a, aQ, b, bQ, output, outputQ) = try binaryOperands(context)
        let parameters = try context.kernel { () throws(KernelError) in
            try AddParameters(
                input1Shape: a.shape, input1Scale: aQ.scale, input1ZeroPoint: aQ.zeroPoint,
                input2Shape: b.shape, input2Scale: bQ.scale, input2ZeroPoint: bQ.zeroPoint,
                outputShape: output.shape, outputScale: outputQ.scale, outputZeroPoint: outputQ.zeroPoint,
                activation: activation)
        }
        return PreparedOperation(operation: .add(parameters, input1: a.index, input2: b.index, output: output.index))
    }

    static func buildMul(_ context: OperatorContext) throws(InterpreterError) -> PreparedOperation {
        try context.expectOperands(inputs: 2)
        var activation = FusedActivation.none
        if case .mul(let options) = context.op.options { activation = context.activation(options.fusedActivation) }
        let (a, aQ, b, bQ, output, outputQ) = try binaryOperands(context)
        let parameters = try context.kernel { () throws(KernelError) in
            try MulParameters(
                input1Shape: a.shape, input1Scale: aQ.scale, input1ZeroPoint: aQ.zeroPoint,
                input2Shape: b.shape, input2Scale: bQ.scale, input2ZeroPoint: bQ.zeroPoint,
                outputShape: output.shape, outputScale: outputQ.scale, outputZeroPoint: outputQ.zeroPoint,
                activation: activation)
        }
        return PreparedOperation(operation: .mul(parameters, input1: a.index, input2: b.index, output: output.index))
    }

    private static func binaryOperands(_ context: OperatorContext) throws(InterpreterError) -> (
        TensorRef, (scale: Float, zeroPoint: Int32), TensorRef, (scale: Float, zeroPoint: Int32),
        TensorRef, (scale: Float, zeroPoint: Int32)
    ) {
        let a = try context.input(0)
        let b = try context.input(1)
        let output = try context.output(0)
        try context.require(a, is: .int8)
        try context.require(b, is: .int8)
        try context.require(output, is: .int8)
        return (a, try context.quantization(a), b, try context.quantization(b), output, try context.quantization(output))
    }

    static func buildSoftmax(_ context: OperatorContext) throws(InterpreterError) -> PreparedOperation {
        try context.expectOperands(inputs: 1)
        var beta: Float = 1
        if case .softmax(let options) = context.op.options { beta = options.beta }
        let (input, inputQ, output, outputQ) = try context.int8Pair()
        let parameters = try context.kernel { () throws(KernelError) in
            try SoftmaxParameters(
                inputShape: input.shape, inputScale: inputQ.scale, inputZeroPoint: inputQ.zeroPoint, beta: beta,
                outputShape: output.shape, outputScale: outputQ.scale, outputZeroPoint: outputQ.zeroPoint)
        }
        return PreparedOperation(operation: .softmax(parameters, input: input.index, output: output.index))
    }

    static func buildLogistic(_ context: OperatorContext) throws(InterpreterError) -> PreparedOperation {
        try context.expectOperands(inputs: 1)
        let (input, inputQ, output, outputQ) = try context.int8Pair()
        let parameters = try context.kernel { () throws(KernelError) in
            try LogisticParameters(
                inputShape: input.shape, inputScale: inputQ.scale, inputZeroPoint: inputQ.zeroPoint,
                outputShape: output.shape, outputScale: outputQ.scale, outputZeroPoint: outputQ.zeroPoint)
        }
        return PreparedOperation(operation: .logistic(parameters, input: input.index, output: output.index))
    }

    static func buildTanh(_ context: OperatorContext) throws(InterpreterError) -> PreparedOperation {
        try context.expectOperands(inputs: 1)
        let (input, inputQ, output, outputQ) = try context.int8Pair()
        let parameters = try context.kernel { () throws(KernelError) in
            try TanhParameters(
                inputShape: input.shape, inputScale: inputQ.scale, inputZeroPoint: inputQ.zeroPoint,
                outputShape: output.shape, outputScale: outputQ.scale, outputZeroPoint: outputQ.zeroPoint)
        }
        return PreparedOperation(operation: .tanh(parameters, input: input.index, output: output.index))
    }

    /// RESHAPE: same element type and element count; the bytes are copied as they are.
    static func buildReshape(_ context: OperatorContext) throws(InterpreterError) -> PreparedOperation {
        try context.expectOperands(inputs: 1, maxInputs: 2)
        let input = try context.input(0)
        let output = try context.output(0)
        guard input.type == output.type else {
            throw .unsupportedTensorType(context.code, operatorIndex: context.operatorIndex, tensorIndex: output.index, type: output.type)
        }
        guard input.elementCount == output.elementCount else {
            throw .kernel(
                .shapeMismatch(tensor: .output(0), expected: [input.elementCount], actual: output.shape),
                op: context.code, operatorIndex: context.operatorIndex)
        }
        return PreparedOperation(operation: .copy(input: input.index, output: output.index))
    }
}

extension OperationBuilder {
    static func buildHardSwish(_ context: OperatorContext) throws(InterpreterError) -> PreparedOperation {
        try context.expectOperands(inputs: 1)
        let (input, inputQ, output, outputQ) = try context.int8Pair()
        let parameters = try context.kernel { () throws(KernelError) in
            try HardSwishParameters(
                inputShape: input.shape, inputScale: inputQ.scale, inputZeroPoint: inputQ.zeroPoint,
                outputShape: output.shape, outputScale: outputQ.scale, outputZeroPoint: outputQ.zeroPoint)
        }
        return PreparedOperation(operation: .hardSwish(parameters, input: input.index, output: output.index))
    }

    static func buildLeakyRelu(_ context: OperatorContext) throws(InterpreterError) -> PreparedOperation {
        try context.expectOperands(inputs: 1)
        guard case .leakyRelu(let options) = context.op.options else { throw context.unexpectedOptions() }
        let (input, inputQ, output, outputQ) = try context.int8Pair()
        let parameters = try context.kernel { () throws(KernelError) in
            try LeakyReluParameters(
                inputShape: input.shape, inputScale: inputQ.scale, inputZeroPoint: inputQ.zeroPoint,
                alpha: options.alpha,
                outputShape: output.shape, outputScale: outputQ.scale, outputZeroPoint: outputQ.zeroPoint)
        }
        return PreparedOperation(operation: .leakyRelu(parameters, input: input.index, output: output.index))
    }
}
