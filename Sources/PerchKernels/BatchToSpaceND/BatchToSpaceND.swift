/// Prepared parameters of the int8 `BATCH_TO_SPACE_ND` operator (TFLite builtin BATCH_TO_SPACE_ND).
///
/// TFLite's reference kernel for a 3-D (`[N, H, C]`, treated as `[N, H, 1, C]`) or 4-D NHWC input,
/// with a constant int32 block shape (one entry per spatial axis) and constant `[spatial, 2]` crops.
/// The output is `[N / Π block, H · bh − crops, W · bw − crops, C]`; the batch must divide by the
/// block product. Values are copied unchanged.
public struct BatchToSpaceNDParameters: Sendable {
    /// Input shape extended to NHWC.
    public let inputShape: Shape4
    /// Output shape extended to NHWC.
    public let outputShape: Shape4
    /// Block height and width (width 1 for a 3-D input).
    public let block: (height: Int, width: Int)
    /// Top and left crops (left 0 for a 3-D input).
    public let cropsBefore: (top: Int, left: Int)

    /// Prepares an int8 BATCH_TO_SPACE_ND.
    ///
    /// - Parameters:
    ///   - inputShape: Input shape, rank 3 or 4.
    ///   - blockShape: The constant block shape, one value ≥ 1 per spatial axis.
    ///   - crops: The flattened constant `[spatial, 2]` crops, each ≥ 0.
    ///   - outputShape: The model's output shape; must equal the computed shape.
    /// - Throws: ``KernelError`` for a bad rank, block shape or crops, a batch not divisible by the
    ///   block product, crops larger than the extent, or an inconsistent output shape.
    public init(inputShape: [Int], blockShape: [Int32], crops: [Int32], outputShape: [Int]) throws(KernelError) {
        try ShapeCheck.requireRank(inputShape, in: 3...4, role: .input(0))
        _ = try ShapeCheck.elementCount(inputShape, role: .input(0))
        let spatial = inputShape.count - 2
        guard blockShape.count == spatial else { throw .unsupportedParameter(.blockShape, value: blockShape.count) }
        guard crops.count == spatial * 2 else { throw .unsupportedParameter(.crops, value: crops.count) }
        for value in blockShape where value < 1 { throw .unsupportedParameter(.blockShape, value: Int(value)) }
        for value in crops where value < 0 { throw .unsupportedParameter(.crops, value: Int(value)) }
        let blockProduct = Int(blockShape.reduce(1, *))
        guard inputShape[0] % blockProduct == 0 else { throw .unsupportedParameter(.blockShape, value: blockProduct) }
        var expected = [inputShape[0] / blockProduct]
        for axis in 0..<spatial {
            let extent = inputShape[axis + 1] * Int(blockShape[axis]) - Int(crops[axis * 2]) - Int(crops[axis * 2 + 1])
            guard extent >= 0 else { throw .unsupportedParameter(.crops, value: Int(crops[axis * 2])) }
            expected.append(extent)
        }
        expected.append(inputShape[inputShape.count - 1])
        try ShapeCheck.require(outputShape, equals: expected, role: .output(0))
        if spatial == 1 {
            self.inputShape = Shape4(batch: inputShape[0], height: inputShape[1], width: 1, depth: inputShape[2])
            self.outputShape = Shape4(batch: outputShape[0], height: outputShape[1], width: 1, depth: outputShape[2])
            block = (Int(blockShape[0]), 1)
            cropsBefore = (Int(crops[0]), 0)
        } else {
            self.inputShape = try Shape4(extending: inputShape, role: .input(0))
            self.outputShape = try Shape4(extending: outputShape, role: .output(0))
            block = (Int(blockShape[0]), Int(blockShape[1]))
            cropsBefore = (Int(crops[0]), Int(crops[2]))
        }
    }
}
