/// Prepared parameters of the int8 `TANH` operator (TFLite builtin TANH, int8 path).
///
/// TFLite Micro's tanh `CalculateArithmeticOpData`: the input is rescaled into Q4.27 exactly as for
/// LOGISTIC (`frexp` of `inputScale · 2^27` in `Double`, `TfLiteRound` of the significand,
/// `CalculateInputRadius(4, leftShift)`). Like TFLite Micro, the kernel assumes (does not check)
/// an output scale of 1/128 and zero point 0.
public struct TanhParameters: Sendable {
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

    /// Prepares an int8 TANH.
    ///
    /// - Parameters:
    ///   - inputShape: Input shape.
    ///   - inputScale: Input scale.
    ///   - inputZeroPoint: Input zero point.
    ///   - outputShape: The model's output shape; must equal `inputShape`.
    ///   - outputScale: Output scale (1/128 expected; not checked, as in TFLite Micro).
    ///   - outputZeroPoint: Output zero point (0 expected; not checked, as in TFLite Micro).
    /// - Throws: ``KernelError`` for inconsistent shapes or invalid quantization.
    public init(
        inputShape: [Int], inputScale: Float, inputZeroPoint: Int32,
        outputShape: [Int], outputScale: Float, outputZeroPoint: Int32
    ) throws(KernelError) {
        elementCount = try ShapeCheck.elementCount(inputShape, role: .input(0))
        try ShapeCheck.require(outputShape, equals: inputShape, role: .output(0))
        try ShapeCheck.requireInt8Quantization(scale: inputScale, zeroPoint: inputZeroPoint, role: .input(0))
        try ShapeCheck.requireInt8Quantization(scale: outputScale, zeroPoint: outputZeroPoint, role: .output(0))
        self.inputZeroPoint = inputZeroPoint
        (inputMultiplier, inputLeftShift, inputRangeRadius) = try gemmlowpInputRescaling(
            inputScale: inputScale, integerBits: 4
        )
    }
}
