import PerchKernels
import PerchTFLite

// CONCATENATION, MEAN, PAD / PADV2, RESIZE_BILINEAR, TRANSPOSE: operators that move data around.

extension OperationBuilder {
    /// CONCATENATION: int8 bytes are copied as they are, without requantization, exactly as TFLite
    /// Micro does (converters give every input the output's scale and zero point).
    static func buildConcatenation(_ context: OperatorContext) throws(InterpreterError) -> PreparedOperation {
        guard context.inputCount >= 1 else {
            throw .operandCount(context.code, operatorIndex: context.operatorIndex, inputs: 0, outputs: context.outputCount)
        }
        try context.expectOperands(inputs: context.inputCount)
        guard case .concatenation(let options) = context.op.options else { throw context.unexpectedOptions() }
        let output = try context.output(0)
        try context.require(output, is: .int8)
        var inputs: [TensorRef] = []
        for position in 0..<context.inputCount {
            let input = try context.input(position)
            try context.require(input, is: .int8)
            inputs.append(input)
        }
        let parameters = try context.kernel { () throws(KernelError) in
            try ConcatenationParameters(
                inputShapes: inputs.map { $0.shape }, axis: Int(options.axis),
                activation: context.activation(options.fusedActivation), outputShape: output.shape)
        }
        return PreparedOperation(operation: .concatenation(parameters, inputs: inputs.map { $0.index }, output: output.index))
    }

    /// MEAN over constant axes.
    static func buildMean(_ context: OperatorContext) throws(InterpreterError) -> PreparedOperation {
        try context.expectOperands(inputs: 2)
        var keepDims = false
        if case .reducer(let options) = context.op.options { keepDims = options.keepDims }
        let input = try context.input(0)
        let axesTensor = try context.input(1)
        let output = try context.output(0)
        try context.require(input, is: .int8)
        try context.require(output, is: .int8)
        try context.require(axesTensor, is: .int32)
        let axes = try context.int32Values(axesTensor)
        let inputQ = try context.quantization(input)
        let outputQ = try context.quantization(output)
        let parameters = try context.kernel { () throws(KernelError) in
            try MeanParameters(
                inputShape: input.shape, inputScale: inputQ.scale, inputZeroPoint: inputQ.zeroPoint, axes: axes,
                keepDims: keepDims, outputShape: output.shape, outputScale: outputQ.scale, outputZeroPoint: outputQ.zeroPoint)
        }
        return PreparedOperation(operation: .mean(parameters, input: input.index, output: output.index))
    }

    /// PAD and PADV2 with constant paddings (and PADV2's constant pad value).
    static func buildPad(_ context: OperatorContext) throws(InterpreterError) -> PreparedOperation {
        try context.expectOperands(inputs: 2, maxInputs: context.code == .padV2 ? 3 : 2)
        let input = try context.input(0)
        let paddingsTensor = try context.input(1)
        let output = try context.output(0)
        try context.require(input, is: .int8)
        try context.require(output, is: .int8)
        try context.require(paddingsTensor, is: .int32)
        let paddings = try context.int32Values(paddingsTensor)
        let inputQ = try context.quantization(input)
        let outputQ = try context.quantization(output)
        guard inputQ.scale == outputQ.scale, inputQ.zeroPoint == outputQ.zeroPoint else {
            throw .kernel(.unsupportedQuantization(tensor: .output(0)), op: context.code, operatorIndex: context.operatorIndex)
        }
        var constantValue: Int8?
        if context.hasInput(2) {
            let valueTensor = try context.input(2)
            try context.require(valueTensor, is: .int8)
            try context.requireConstant(valueTensor)
            let range = valueTensor.constantRange!
            guard range.count == 1 else { throw .notConstant(tensorIndex: valueTensor.index, operatorIndex: context.operatorIndex) }
            constantValue = Int8(bitPattern: context.model.bytes[range.lowerBound])
        }
        let parameters = try context.kernel { () throws(KernelError) in
            try PadParameters(
                inputShape: input.shape, paddings: paddings, constantValue: constantValue,
                outputShape: output.shape, outputZeroPoint: outputQ.zeroPoint)
        }
        return PreparedOperation(operation: .pad(parameters, input: input.index, output: output.index))
    }

    /// RESIZE_BILINEAR to a constant size; int8 keeps its quantization.
    static func buildResizeBilinear(_ context: OperatorContext) throws(InterpreterError) -> PreparedOperation {
        try context.expectOperands(inputs: 2)
        guard case .resizeBilinear(let options) = context.op.options else { throw context.unexpectedOptions() }
        let input = try context.input(0)
        let sizeTensor = try context.input(1)
        let output = try context.output(0)
        try context.require(input, is: .int8)
        try context.require(output, is: .int8)
        try context.require(sizeTensor, is: .int32)
        let size = try context.int32Values(sizeTensor)
        let parameters = try context.kernel { () throws(KernelError) in
            try ResizeBilinearParameters(
                inputShape: input.shape, size: size, alignCorners: options.alignCorners,
                halfPixelCenters: options.halfPixelCenters, outputShape: output.shape)
        }
        return PreparedOperation(operation: .resizeBilinear(parameters, input: input.index, output: output.index))
    }

    /// TRANSPOSE by a constant permutation.
    static func buildTranspose(_ context: OperatorContext) throws(InterpreterError) -> PreparedOperation {
        try context.expectOperands(inputs: 2)
        let input = try context.input(0)
        let permutationTensor = try context.input(1)
        let output = try context.output(0)
        try context.require(input, is: .int8)
        try context.require(output, is: .int8)
        try context.require(permutationTensor, is: .int32)
        let permutation = try context.int32Values(permutationTensor)
        let parameters = try context.kernel { () throws(KernelError) in
            try TransposeParameters(inputShape: input.shape, permutation: permutation, outputShape: output.shape)
        }
        return PreparedOperation(operation: .transpose(parameters, input: input.index, output: output.index))
    }
}

extension OperationBuilder {
    /// SPACE_TO_BATCH_ND with constant block shape and paddings; padding uses the output zero point
    /// (TFLite's reference; see docs/rounding.md for where TFLite Micro differs).
    static func buildSpaceToBatchND(_ context: OperatorContext) throws(InterpreterError) -> PreparedOperation {
        try context.expectOperands(inputs: 3)
        let input = try context.input(0)
        let blockTensor = try context.input(1)
        let paddingsTensor = try context.input(2)
        let output = try context.output(0)
        try context.require(input, is: .int8)
        try context.require(output, is: .int8)
        try context.require(blockTensor, is: .int32)
        try context.require(paddingsTensor, is: .int32)
        let blockShape = try context.int32Values(blockTensor)
        let paddings = try context.int32Values(paddingsTensor)
        let outputQ = try context.quantization(output)
        let parameters = try context.kernel { () throws(KernelError) in
            try SpaceToBatchNDParameters(
                inputShape: input.shape, blockShape: blockShape, paddings: paddings, outputShape: output.shape,
                outputZeroPoint: outputQ.zeroPoint)
        }
        return PreparedOperation(operation: .spaceToBatchND(parameters, input: input.index, output: output.index))
    }

    /// BATCH_TO_SPACE_ND with constant block shape and crops.
    static func buildBatchToSpaceND(_ context: OperatorContext) throws(InterpreterError) -> PreparedOperation {
        try context.expectOperands(inputs: 3)
        let input = try context.input(0)
        let blockTensor = try context.input(1)
        let cropsTensor = try context.input(2)
        let output = try context.output(0)
        try context.require(input, is: .int8)
        try context.require(output, is: .int8)
        try context.require(blockTensor, is: .int32)
        try context.require(cropsTensor, is: .int32)
        let blockShape = try context.int32Values(blockTensor)
        let crops = try context.int32Values(cropsTensor)
        let parameters = try context.kernel { () throws(KernelError) in
            try BatchToSpaceNDParameters(inputShape: input.shape, blockShape: blockShape, crops: crops, outputShape: output.shape)
        }
        return PreparedOperation(operation: .batchToSpaceND(parameters, input: input.index, output: output.index))
    }

    /// QUANTIZE: float32 → int8 (affine), or int8 → int8 (requantize to another scale/zero point).
    static func buildQuantize(_ context: OperatorContext) throws(InterpreterError) -> PreparedOperation {
        try context.expectOperands(inputs: 1)
        let input = try context.input(0)
        let output = try context.output(0)
        try context.require(output, is: .int8)
        let outputQ = try context.quantization(output)
        switch input.type {
        case .float32:
            let parameters = try context.kernel { () throws(KernelError) in
                try QuantizeParameters(
                    inputShape: input.shape, outputShape: output.shape, outputScale: outputQ.scale,
                    outputZeroPoint: outputQ.zeroPoint)
            }
            return PreparedOperation(operation: .quantize(parameters, input: input.index, output: output.index))
        case .int8:
            let inputQ = try context.quantization(input)
            let parameters = try context.kernel { () throws(KernelError) in
                try RequantizeParameters(
                    inputShape: input.shape, inputScale: inputQ.scale, inputZeroPoint: inputQ.zeroPoint,
                    outputShape: output.shape, outputScale: outputQ.scale, outputZeroPoint: outputQ.zeroPoint)
            }
            return PreparedOperation(operation: .requantize(parameters, input: input.index, output: output.index))
        default:
            throw .unsupportedTensorType(context.code, operatorIndex: context.operatorIndex, tensorIndex: input.index, type: input.type)
        }
    }

    /// DEQUANTIZE: int8 → float32.
    static func buildDequantize(_ context: OperatorContext) throws(InterpreterError) -> PreparedOperation {
        try context.expectOperands(inputs: 1)
        let input = try context.input(0)
        let output = try context.output(0)
        try context.require(input, is: .int8)
        try context.require(output, is: .float32)
        let inputQ = try context.quantization(input)
        let parameters = try context.kernel { () throws(KernelError) in
            try DequantizeParameters(inputShape: input.shape, inputScale: inputQ.scale, inputZeroPoint: inputQ.zeroPoint, outputShape: output.shape)
        }
        return PreparedOperation(operation: .dequantize(parameters, input: input.index, output: output.index))
    }
}
