/// Prepared parameters of the int8 `MEAN` operator (TFLite builtin MEAN, int8 path).
///
/// TFLite Micro (the pinned oracle build) evaluates every int8 MEAN with TFLite's
/// `QuantizedMeanOrSum`, also when input and output share scale and zero point (older TFLM
/// releases took a truncating `reference_ops::Mean` path there; the oracle's outputs rule it out:
/// 23.5 rounds to 24). The multiplier of `inputScale / outputScale` (`QuantizeMultiplier`, in
/// `Double`) absorbs `1/count` via an extra shift of `min(floor(log2 count), 32, 31 + shift)` and a
/// truncating 64-bit division, and is applied to `sum − zp_in · count` with
/// `MultiplyByQuantizedMultiplier`.
///
/// Input rank is at most 6; any set of axes can be reduced.
public struct MeanParameters: Sendable {
    /// The input zero point.
    public let inputZeroPoint: Int32
    /// The output zero point.
    public let outputZeroPoint: Int32
    /// The multiplier of `inputScale / outputScale`, already adjusted by `1/count`.
    public let multiplier: QuantizedMultiplier
    /// Number of input elements averaged into each output element.
    public let reducedCount: Int
    /// Number of input elements.
    public let inputElementCount: Int
    /// Number of output elements.
    public let outputElementCount: Int
    /// The resolved reduction axes of the input (non-negative, distinct, in the order given).
    public let axes: [Int]

    /// Input extents (rank 6, leading 1s) with reduced axes set to 1: the output iteration space.
    let outerExtents: [Int]
    /// Input extents (rank 6) with non-reduced axes set to 1: the reduction space.
    let innerExtents: [Int]
    /// Row-major input strides (rank 6).
    let strides: [Int]

    /// The most input dimensions this kernel accepts (TFLite's tensor rank limit).
    static let maxRank = 6

    /// Prepares an int8 MEAN.
    ///
    /// - Parameters:
    ///   - inputShape: Input shape, rank ≤ 6.
    ///   - inputScale: Input scale.
    ///   - inputZeroPoint: Input zero point.
    ///   - axes: The constant axis tensor; negative values count from the end; duplicates are ignored.
    ///   - keepDims: Whether reduced axes stay as extent 1.
    ///   - outputShape: The model's output shape; must equal the shape MEAN computes.
    ///   - outputScale: Output scale.
    ///   - outputZeroPoint: Output zero point.
    /// - Throws: ``KernelError`` for an axis out of range, a rank above 6, invalid quantization, or an
    ///   inconsistent output shape.
    public init(
        inputShape: [Int], inputScale: Float, inputZeroPoint: Int32, axes: [Int32], keepDims: Bool,
        outputShape: [Int], outputScale: Float, outputZeroPoint: Int32
    ) throws(KernelError) {
        try ShapeCheck.requireRank(inputShape, in: 0...Self.maxRank, role: .input(0))
        inputElementCount = try ShapeCheck.elementCount(inputShape, role: .input(0))
        try ShapeCheck.requireInt8Quantization(scale: inputScale, zeroPoint: inputZeroPoint, role: .input(0))
        try ShapeCheck.requireInt8Quantization(scale: outputScale, zeroPoint: outputZeroPoint, role: .output(0))
        let rank = inputShape.count

        // TFLite `ResolveAxis`: wrap negatives, reject out of range, drop duplicates.
        var resolved: [Int] = []
        if rank > 0 {
            for raw in axes {
                let axis = raw < 0 ? Int(raw) + rank : Int(raw)
                guard axis >= 0 && axis < rank else { throw .unsupportedParameter(.axis, value: Int(raw)) }
                if !resolved.contains(axis) { resolved.append(axis) }
            }
        }
        self.axes = resolved

        var expected: [Int] = []
        for axis in 0..<rank {
            if resolved.contains(axis) {
                if keepDims { expected.append(1) }
            } else {
                expected.append(inputShape[axis])
            }
        }
        try ShapeCheck.require(outputShape, equals: expected, role: .output(0))
        outputElementCount = try ShapeCheck.elementCount(outputShape, role: .output(0))

        var count = 1
        for axis in resolved { count *= inputShape[axis] }
        reducedCount = count

        let offset = Self.maxRank - rank
        let extents = ShapeCheck.extended(inputShape, to: Self.maxRank)
        var outer = extents
        var inner = [Int](repeating: 1, count: Self.maxRank)
        for axis in resolved {
            outer[axis + offset] = 1
            inner[axis + offset] = extents[axis + offset]
        }
        outerExtents = outer
        innerExtents = inner
        strides = ShapeCheck.strides(extents)

        self.inputZeroPoint = inputZeroPoint
        self.outputZeroPoint = outputZeroPoint
        multiplier = Self.meanMultiplier(
            QuantizedMultiplier(Double(inputScale) / Double(outputScale)), count: count
        )
    }

    /// `QuantizedMeanOrSum`'s folding of `1/count` into the multiplier (mean, not sum).
    static func meanMultiplier(_ base: QuantizedMultiplier, count: Int) -> QuantizedMultiplier {
        guard count > 0 else { return base }
        var shift = 63 - UInt64(count).leadingZeroBitCount
        shift = min(shift, 32)
        shift = min(shift, 31 + Int(base.shift))
        let adjusted = Int32(truncatingIfNeeded: (Int64(base.multiplier) << Int64(shift)) / Int64(count))
        return QuantizedMultiplier(multiplier: adjusted, shift: base.shift - Int32(shift))
    }
}
