/// Prepared parameters of the int8 `LOGISTIC` operator (TFLite builtin LOGISTIC, int8 path).
///
/// TFLite Micro's `CalculateArithmeticOpDataLogistic`: the input is rescaled into Q4.27. The real
/// multiplier `inputScale · 2^27` is computed in `Double`, split with `frexp`, and its significand
/// rounded half away from zero (`TfLiteRound(q · 2^31)`); `inputRangeRadius` is
/// `CalculateInputRadius(4, leftShift)`. The output must have zero point −128; like TFLite Micro,
/// the kernel assumes (does not check) an output scale of 1/256.
public struct LogisticParameters: Sendable {
    /// The input zero point.
    public let inputZeroPoint: Int32
    /// Offset inputs at or beyond ±this saturate to −128 / 127.
    public let inputRangeRadius: Int32
    /// Q0.31 significand of `inputScale · 2^27`.
    public let inputMultiplier: Int32
    /// Its exponent, a left shift.
    public let inputLeftShift: Int32
    /// Number of elements.
    public let elementCount: Int

    /// Prepares an int8 LOGISTIC.
    ///
    /// - Parameters:
    ///   - inputShape: Input shape.
    ///   - inputScale: Input scale.
    ///   - inputZeroPoint: Input zero point.
    ///   - outputShape: The model's output shape; must equal `inputShape`.
    ///   - outputScale: Output scale (1/256 expected; not checked, as in TFLite Micro).
    ///   - outputZeroPoint: Must be −128.
    /// - Throws: ``KernelError`` for inconsistent shapes, invalid quantization, or an output zero
    ///   point other than −128.
    public init(
        inputShape: [Int], inputScale: Float, inputZeroPoint: Int32,
        outputShape: [Int], outputScale: Float, outputZeroPoint: Int32
    ) throws(KernelError) {
        elementCount = try ShapeCheck.elementCount(inputShape, role: .input(0))
        try ShapeCheck.require(outputShape, equals: inputShape, role: .output(0))
        try ShapeCheck.requireInt8Quantization(scale: inputScale, zeroPoint: inputZeroPoint, role: .input(0))
        try ShapeCheck.requireScale(outputScale, role: .output(0))
        guard outputZeroPoint == -128 else { throw .unsupportedQuantization(tensor: .output(0)) }
        self.inputZeroPoint = inputZeroPoint
        (inputMultiplier, inputLeftShift, inputRangeRadius) = try gemmlowpInputRescaling(
            inputScale: inputScale, integerBits: 4
        )
    }
}

/// The int8 LOGISTIC/TANH input rescaling of TFLite Micro's prepare:
/// `frexp(inputScale · 2^(31 − integerBits))`, significand rounded with `TfLiteRound(q · 2^31)`,
/// and the input radius `CalculateInputRadius(integerBits, leftShift)`.
func gemmlowpInputRescaling(
    inputScale: Float, integerBits: Int
) throws(KernelError) -> (multiplier: Int32, leftShift: Int32, radius: Int32) {
    let real = Double(inputScale) * Double(1 << (31 - integerBits))
    let (q, exponent) = FixedPoint.frexp(real)
    // TFLite shifts `1LL` by this exponent; outside [0, 62] that is undefined behaviour in C++.
    guard exponent >= 0 && exponent <= 62 else { throw .unsupportedQuantization(tensor: .input(0)) }
    // static_cast<int32_t>(TfLiteRound(q * 2^31)): q < 1, so this only reaches 2^31 by rounding,
    // which TFLite's cast wraps; mirror that wrap.
    let multiplier = Int32(truncatingIfNeeded: Int64((q * 2147483648.0).rounded(.toNearestOrAwayFromZero)))
    let radius = FixedPoint.inputRadius(integerBits: integerBits, leftShift: exponent)
    return (multiplier, Int32(exponent), radius)
}
