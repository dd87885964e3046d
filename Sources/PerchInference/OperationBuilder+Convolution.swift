import PerchKernels
import PerchTFLite

// CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, AVERAGE_POOL_2D, MAX_POOL_2D.

extension OperationBuilder {
    /// The int32 bias of a convolution-like operator, or `nil` when the optional input is absent.
    static func bias(_ context: OperatorContext, position: Int = 2) throws(InterpreterError) -> [Int32]? {
        guard context.hasInput(position) else { return nil }
        let bias = try context.input(position)
        try context.require(bias, is: .int32)
        return try context.int32Values(bias)
    }

    /// The operands every convolution shares: int8 input, constant int8 filter, int8 output, optional
    /// int32 bias, their quantization and NHWC shapes.
    struct ConvolutionOperands {
        var input: TensorRef
        var filter: TensorRef
        var output: TensorRef
        var inputQ: (scale: Float, zeroPoint: Int32)
        var outputQ: (scale: Float, zeroPoint: Int32)
        var inputShape: Shape4
        var filterShape: Shape4
        var outputShape: Shape4
        var bias: [Int32]?
    }

    static func convolutionOperands(_ context: OperatorContext) throws(InterpreterError) -> ConvolutionOperands {
        try context.expectOperands(inputs: 2, maxInputs: 3)
        let input = try context.input(0)
        let filter = try context.input(1)
        let output = try context.output(0)
        try context.require(input, is: .int8)
        try context.require(filter, is: .int8)
        try context.require(output, is: .int8)
        try context.requireConstant(filter)
        return ConvolutionOperands(
            input: input, filter: filter, output: output,
            inputQ: try context.quantization(input), outputQ: try context.quantization(output),
            inputShape: try context.shape4(input, role: .input(0)),
            filterShape: try context.shape4(filter, role: .filter),
            outputShape: try context.shape4(output, role: .output(0)),
            bias: try bias(context))
    }

    static func buildConv2D(
        _ context: OperatorContext, hardwareDotProduct: Bool
    ) throws(InterpreterError) -> PreparedOperation {
        guard case .conv2D(let options) = context.op.options else { throw context.unexpectedOptions() }
        let o = try convolutionOperands(context)
        let filterScales = try context.channelScales(o.filter, channels: o.filterShape.batch)
        let parameters = try context.model.bytes.withInt8Span(o.filter.constantRange!) { weights throws(InterpreterError) in
            try context.kernel { () throws(KernelError) in
                try Conv2DParameters(
                    inputShape: o.inputShape, filterShape: o.filterShape, outputShape: o.outputShape,
                    strideHeight: Int(options.strideH), strideWidth: Int(options.strideW),
                    dilationHeight: Int(options.dilationH), dilationWidth: Int(options.dilationW),
                    padding: context.padding(options.padding), activation: context.activation(options.fusedActivation),
                    inputScale: o.inputQ.scale, inputZeroPoint: o.inputQ.zeroPoint, filterScales: filterScales,
                    outputScale: o.outputQ.scale, outputZeroPoint: o.outputQ.zeroPoint, filter: weights, bias: o.bias,
                    hardwareDotProduct: hardwareDotProduct)
            }
        }
        return PreparedOperation(
            operation: .conv2D(parameters, input: o.input.index, filter: o.filter.index, output: o.output.index, scratch: nil),
            scratchBytes: parameters.scratchByteCount, preparedWeightBytes: parameters.preparedWeightByteCount)
    }

    static func buildDepthwiseConv2D(
        _ context: OperatorContext, hardwareDotProduct: Bool
    ) throws(InterpreterError) -> PreparedOperation {
        guard case .depthwiseConv2D(let options) = context.op.options else { throw context.unexpectedOptions() }
        let o = try convolutionOperands(context)
        let filterScales = try context.channelScales(o.filter, channels: o.filterShape.depth)
        let parameters = try context.model.bytes.withInt8Span(o.filter.constantRange!) { weights throws(InterpreterError) in
            try context.kernel { () throws(KernelError) in
                try DepthwiseConv2DParameters(
                    inputShape: o.inputShape, filterShape: o.filterShape, outputShape: o.outputShape,
                    strideHeight: Int(options.strideH), strideWidth: Int(options.strideW),
                    dilationHeight: Int(options.dilationH), dilationWidth: Int(options.dilationW),
                    depthMultiplier: Int(options.depthMultiplier),
                    padding: context.padding(options.padding), activation: context.activation(options.fusedActivation),
                    inputScale: o.inputQ.scale, inputZeroPoint: o.inputQ.zeroPoint, filterScales: filterScales,
                    outputScale: o.outputQ.scale, outputZeroPoint: o.outputQ.zeroPoint, filter: weights, bias: o.bias,
                    hardwareDotProduct: hardwareDotProduct)
            }
        }
        return PreparedOperation(
            operation: .depthwiseConv2D(parameters, input: o.input.index, filter: o.filter.index, output: o.output.index))
    }

    static func buildFullyConnected(_ context: OperatorContext) throws(InterpreterError) -> PreparedOperation {
        try context.expectOperands(inputs: 2, maxInputs: 3)
        guard case .fullyConnected(let options) = context.op.options else { throw context.unexpectedOptions() }
        guard options.weightsFormat == .default else { throw context.unexpectedOptions() }
        let input = try context.input(0)
        let filter = try context.input(1)
        let output = try context.output(0)
        try context.require(input, is: .int8)
        try context.require(filter, is: .int8)
        try context.require(output, is: .int8)
        try context.requireConstant(filter)
        let inputQ = try context.quantization(input)
        let outputQ = try context.quantization(output)
        guard filter.shape.count == 2 else {
            throw .kernel(.rankMismatch(tensor: .filter, expected: 2, actual: filter.shape.count), op: context.code, operatorIndex: context.operatorIndex)
        }
        let filterScales = try context.channelScales(filter, channels: filter.shape[0])
        let bias = try bias(context)
        let parameters = try context.model.bytes.withInt8Span(filter.constantRange!) { weights throws(InterpreterError) in
            try context.kernel { () throws(KernelError) in
                try FullyConnectedParameters(
                    inputDims: input.shape, filterDims: filter.shape, outputDims: output.shape,
                    keepNumDims: options.keepNumDims, activation: context.activation(options.fusedActivation),
                    inputScale: inputQ.scale, inputZeroPoint: inputQ.zeroPoint, filterScales: filterScales,
                    outputScale: outputQ.scale, outputZeroPoint: outputQ.zeroPoint, filter: weights, bias: bias)
            }
        }
        return PreparedOperation(
            operation: .fullyConnected(parameters, input: input.index, filter: filter.index, output: output.index))
    }

    static func buildPool2D(_ context: OperatorContext, average: Bool) throws(InterpreterError) -> PreparedOperation {
        try context.expectOperands(inputs: 1)
        guard case .pool2D(let options) = context.op.options else { throw context.unexpectedOptions() }
        let (input, inputQ, output, outputQ) = try context.int8Pair()
        let inputShape = try context.shape4(input, role: .input(0))
        let outputShape = try context.shape4(output, role: .output(0))
        let parameters = try context.kernel { () throws(KernelError) in
            try Pool2DParameters(
                inputShape: inputShape, outputShape: outputShape,
                filterHeight: Int(options.filterHeight), filterWidth: Int(options.filterWidth),
                strideHeight: Int(options.strideH), strideWidth: Int(options.strideW),
                padding: context.padding(options.padding), activation: context.activation(options.fusedActivation),
                inputScale: inputQ.scale, inputZeroPoint: inputQ.zeroPoint,
                outputScale: outputQ.scale, outputZeroPoint: outputQ.zeroPoint)
        }
        let operation: Operation = average
            ? .averagePool2D(parameters, input: input.index, output: output.index)
            : .maxPool2D(parameters, input: input.index, output: output.index)
        return PreparedOperation(operation: operation)
    }
}
