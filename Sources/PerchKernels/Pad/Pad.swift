/// Prepared parameters of the int8 `PAD` / `PADV2` operators (TFLite builtins PAD and PADV2).
///
/// TFLite Micro's `PadPrepare`: the paddings are a constant `[rank, 2]` int32 tensor, rank ≤ 5, and
/// the output extents must equal `input + before + after`. The pad value is the output zero point
/// (PAD), or the single value of PADV2's constant tensor, which must share the output's
/// quantization (the caller checks that when it reads the tensor).
public struct PadParameters: Sendable {
    /// The value written into padded positions.
    public let padValue: Int8
    /// Input extents, extended to rank 5.
    let inputExtents: [Int]
    /// Output extents, extended to rank 5.
    let outputExtents: [Int]
    /// Leading padding per axis, extended to rank 5.
    let before: [Int]
    /// Number of input elements.
    public let inputElementCount: Int
    /// Number of output elements.
    public let outputElementCount: Int

    /// The most dimensions TFLite's reference pad handles (`PadKernelMaxDimensionCount`).
    static let maxRank = 5

    /// Prepares an int8 PAD or PADV2.
    ///
    /// - Parameters:
    ///   - inputShape: Input shape, rank ≤ 5.
    ///   - paddings: The flattened `[rank, 2]` paddings (`before, after` per axis), each ≥ 0.
    ///   - constantValue: PADV2's pad value, or `nil` for PAD (pads with the output zero point).
    ///   - outputShape: The model's output shape; must equal the padded input shape.
    ///   - outputZeroPoint: The output zero point.
    /// - Throws: ``KernelError`` for a rank above 5, a paddings tensor of the wrong size, negative
    ///   paddings, an out-of-range zero point, or an inconsistent output shape.
    public init(
        inputShape: [Int], paddings: [Int32], constantValue: Int8? = nil,
        outputShape: [Int], outputZeroPoint: Int32
    ) throws(KernelError) {
        try ShapeCheck.requireRank(inputShape, in: 0...Self.maxRank, role: .input(0))
        inputElementCount = try ShapeCheck.elementCount(inputShape, role: .input(0))
        try ShapeCheck.requireInt8ZeroPoint(outputZeroPoint, role: .output(0))
        let rank = inputShape.count
        guard paddings.count == rank * 2 else { throw .unsupportedParameter(.padding, value: paddings.count) }
        var expected: [Int] = []
        var leading: [Int] = []
        for axis in 0..<rank {
            let b = Int(paddings[axis * 2])
            let a = Int(paddings[axis * 2 + 1])
            guard b >= 0 && a >= 0 else { throw .unsupportedParameter(.padding, value: min(a, b)) }
            expected.append(inputShape[axis] + b + a)
            leading.append(b)
        }
        try ShapeCheck.require(outputShape, equals: expected, role: .output(0))
        outputElementCount = try ShapeCheck.elementCount(outputShape, role: .output(0))
        inputExtents = ShapeCheck.extended(inputShape, to: Self.maxRank)
        outputExtents = ShapeCheck.extended(outputShape, to: Self.maxRank)
        before = [Int](repeating: 0, count: Self.maxRank - rank) + leading
        padValue = constantValue ?? Int8(truncatingIfNeeded: outputZeroPoint)
    }
}
