/// Prepared parameters of the int8 `SPACE_TO_BATCH_ND` operator (TFLite builtin SPACE_TO_BATCH_ND).
///
/// TFLite's reference kernel for a 3-D (`[N, H, C]`, treated as `[N, H, 1, C]`) or 4-D NHWC input,
/// with a constant int32 block shape (one entry per spatial axis) and constant `[spatial, 2]`
/// paddings. The output is `[N · Π block, (H + pads) / bh, (W + pads) / bw, C]`; each padded extent
/// must divide by its block.
///
/// Padding value: this kernel pads with the OUTPUT ZERO POINT, as TFLite (LiteRT) does through
/// `op_params.output_offset`, so padded positions mean real 0. TFLite Micro's
/// `space_to_batch_nd.cc` never sets `output_offset` and so pads int8 with raw 0; for the models
/// converters emit (padding followed by a convolution whose zero point is the same) the two only
/// differ when that zero point is not 0, and there TFLite Micro's output is not a valid reference.
/// Static shapes are checked against what the op computes, so a model whose flatbuffer shapes are
/// inconsistent (e.g. a batch of 1 where the graph implies 4) is rejected, not computed.
public struct SpaceToBatchNDParameters: Sendable {
    /// Input shape extended to NHWC.
    public let inputShape: Shape4
    /// Output shape extended to NHWC.
    public let outputShape: Shape4
    /// Block height and width (width 1 for a 3-D input).
    public let block: (height: Int, width: Int)
    /// Top and left padding (left 0 for a 3-D input).
    public let paddingBefore: (top: Int, left: Int)
    /// The value written into padded positions (the output zero point).
    public let padValue: Int8

    /// Prepares an int8 SPACE_TO_BATCH_ND.
    ///
    /// - Parameters:
    ///   - inputShape: Input shape, rank 3 or 4.
    ///   - blockShape: The constant block shape, one value ≥ 1 per spatial axis.
    ///   - paddings: The flattened constant `[spatial, 2]` paddings, each ≥ 0.
    ///   - outputShape: The model's output shape; must equal the computed shape.
    ///   - outputZeroPoint: The output zero point, used as the pad value.
    /// - Throws: ``KernelError`` for a bad rank, block shape or paddings, padded extents not divisible
    ///   by the block, or an inconsistent output shape.
    public init(
        inputShape: [Int], blockShape: [Int32], paddings: [Int32], outputShape: [Int], outputZeroPoint: Int32
    ) throws(KernelError) {
        try ShapeCheck.requireRank(inputShape, in: 3...4, role: .input(0))
        _ = try ShapeCheck.elementCount(inputShape, role: .input(0))
        try ShapeCheck.requireInt8ZeroPoint(outputZeroPoint, role: .output(0))
        let spatial = inputShape.count - 2
        guard blockShape.count == spatial else { throw .unsupportedParameter(.blockShape, value: blockShape.count) }
        guard paddings.count == spatial * 2 else { throw .unsupportedParameter(.padding, value: paddings.count) }
        for value in blockShape where value < 1 { throw .unsupportedParameter(.blockShape, value: Int(value)) }
        for value in paddings where value < 0 { throw .unsupportedParameter(.padding, value: Int(value)) }
        var expected = [inputShape[0] * Int(blockShape.reduce(1, *))]
        for axis in 0..<spatial {
            let padded = inputShape[axis + 1] + Int(paddings[axis * 2]) + Int(paddings[axis * 2 + 1])
            let b = Int(blockShape[axis])
            guard padded % b == 0 else { throw .unsupportedParameter(.blockShape, value: b) }
            expected.append(padded / b)
        }
        expected.append(inputShape[inputShape.count - 1])
        try ShapeCheck.require(outputShape, equals: expected, role: .output(0))
        _ = try ShapeCheck.elementCount(outputShape, role: .output(0))
        if spatial == 1 {
            self.inputShape = Shape4(batch: inputShape[0], height: inputShape[1], width: 1, depth: inputShape[2])
            self.outputShape = Shape4(batch: outputShape[0], height: outputShape[1], width: 1, depth: outputShape[2])
            block = (Int(blockShape[0]), 1)
            paddingBefore = (Int(paddings[0]), 0)
        } else {
            self.inputShape = try Shape4(extending: inputShape, role: .input(0))
            self.outputShape = try Shape4(extending: outputShape, role: .output(0))
            block = (Int(blockShape[0]), Int(blockShape[1]))
            paddingBefore = (Int(paddings[0]), Int(paddings[2]))
        }
        padValue = Int8(truncatingIfNeeded: outputZeroPoint)
    }
}
