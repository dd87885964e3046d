/// Prepared parameters of the int8 → int8 `SOFTMAX` operator (TFLite builtin SOFTMAX, int8 path).
///
/// TFLite Micro's `SoftmaxPrepare` / `CalculateSoftmaxParams`: the output must be quantized with
/// zero point −128 and scale exactly 1/256. `PreprocessSoftmaxScaling` turns
/// `beta · inputScale · 2^26` (in `Double`, capped at `2^31 − 1`) into a multiplier and left shift
/// that put input differences into Q5.26, and `diffMin = −CalculateInputRadius(5, leftShift)` is the
/// smallest difference from the row maximum that still contributes.
public struct SoftmaxParameters: Sendable {
    /// Q0.31 significand of `beta · inputScale · 2^26`.
    public let inputMultiplier: Int32
    /// Left shift (≥ 0) of that multiplier.
    public let inputLeftShift: Int32
    /// Differences below this (in input units) contribute nothing and output −128.
    public let diffMin: Int32
    /// The softmax is taken over the last axis, of this extent.
    public let depth: Int
    /// Number of rows (product of the other axes).
    public let outerSize: Int

    /// Prepares an int8 SOFTMAX.
    ///
    /// - Parameters:
    ///   - inputShape: Input shape, rank ≥ 1; softmax runs along the last axis.
    ///   - inputScale: Input scale.
    ///   - inputZeroPoint: Input zero point (it cancels out of the differences).
    ///   - beta: The operator's `beta`.
    ///   - outputShape: The model's output shape; must equal `inputShape`.
    ///   - outputScale: Must be exactly `1/256`.
    ///   - outputZeroPoint: Must be −128.
    /// - Throws: ``KernelError`` for inconsistent shapes, an output quantization other than
    ///   (1/256, −128), or a `beta · inputScale` too small for TFLite's scaling (real multiplier ≤ 1).
    public init(
        inputShape: [Int], inputScale: Float, inputZeroPoint: Int32, beta: Float,
        outputShape: [Int], outputScale: Float, outputZeroPoint: Int32
    ) throws(KernelError) {
        try ShapeCheck.requireRank(inputShape, in: 1...Int.max, role: .input(0))
        let count = try ShapeCheck.elementCount(inputShape, role: .input(0))
        try ShapeCheck.require(outputShape, equals: inputShape, role: .output(0))
        try ShapeCheck.requireInt8Quantization(scale: inputScale, zeroPoint: inputZeroPoint, role: .input(0))
        guard outputZeroPoint == -128 && outputScale == 1.0 / 256.0 else {
            throw .unsupportedQuantization(tensor: .output(0))
        }
        guard beta.isFinite && beta > 0 else { throw .unsupportedParameter(.beta, value: 0) }
        depth = inputShape[inputShape.count - 1]
        outerSize = depth == 0 ? 0 : count / depth

        // PreprocessSoftmaxScaling with input_integer_bits = 5 (double rounding build).
        let scaledDiffIntegerBits = 5
        let maxRealMultiplier = Double((Int64(1) << 31) - 1)
        let real = min(
            Double(beta) * Double(inputScale) * Double(1 << (31 - scaledDiffIntegerBits)), maxRealMultiplier
        )
        // QuantizeMultiplierGreaterThanOne: TFLite CHECKs real > 1 and a non-negative shift.
        guard real > 1 else { throw .unsupportedParameter(.beta, value: 0) }
        let quantized = QuantizedMultiplier(real)
        guard quantized.shift >= 0 else { throw .unsupportedParameter(.beta, value: 0) }
        inputMultiplier = quantized.multiplier
        inputLeftShift = quantized.shift
        diffMin = -FixedPoint.inputRadius(integerBits: scaledDiffIntegerBits, leftShift: Int(quantized.shift))
    }
}
