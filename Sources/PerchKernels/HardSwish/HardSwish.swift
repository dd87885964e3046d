/// Prepared parameters of the int8 `HARD_SWISH` operator (TFLite builtin HARD_SWISH, int8 path).
///
/// TFLite Micro's `HardSwishPrepare`: with `hiresInputScale = inputScale / 128` (in `Float`), the
/// output multiplier is `hiresInputScale / outputScale` and the "reluish" multiplier is
/// `hiresInputScale / (3 / 32768)`, each divided in `Float`, widened to `Double`, quantized with
/// `QuantizeMultiplier` and then rounded to 16 bits (`DownScaleInt32ToInt16Multiplier`).
public struct HardSwishParameters: Sendable {
    /// The input zero point.
    public let inputZeroPoint: Int32
    /// The output zero point.
    public let outputZeroPoint: Int32
    /// Q0.15 significand of the reluish multiplier.
    public let reluishMultiplier: Int16
    /// Exponent of the reluish multiplier (either sign).
    public let reluishExponent: Int32
    /// Q0.15 significand of the output multiplier.
    public let outputMultiplier: Int16
    /// Exponent of the output multiplier (≤ 0).
    public let outputExponent: Int32
    /// Number of elements.
    public let elementCount: Int

    /// Prepares an int8 HARD_SWISH.
    ///
    /// - Parameters:
    ///   - inputShape: Input shape.
    ///   - inputScale: Input scale.
    ///   - inputZeroPoint: Input zero point.
    ///   - outputShape: The model's output shape; must equal `inputShape`.
    ///   - outputScale: Output scale.
    ///   - outputZeroPoint: Output zero point.
    /// - Throws: ``KernelError`` for inconsistent shapes, invalid quantization, or an output
    ///   multiplier exponent above 0 (TFLite Micro's `output_multiplier_exponent <= 0` check).
    public init(
        inputShape: [Int], inputScale: Float, inputZeroPoint: Int32,
        outputShape: [Int], outputScale: Float, outputZeroPoint: Int32
    ) throws(KernelError) {
        elementCount = try ShapeCheck.elementCount(inputShape, role: .input(0))
        try ShapeCheck.require(outputShape, equals: inputShape, role: .output(0))
        try ShapeCheck.requireInt8Quantization(scale: inputScale, zeroPoint: inputZeroPoint, role: .input(0))
        try ShapeCheck.requireInt8Quantization(scale: outputScale, zeroPoint: outputZeroPoint, role: .output(0))
        self.inputZeroPoint = inputZeroPoint
        self.outputZeroPoint = outputZeroPoint
        let hiresInputScale: Float = (1.0 / 128.0) * inputScale
        let reluishScale: Float = 3.0 / 32768.0
        let output = QuantizedMultiplier(Double(hiresInputScale / outputScale))
        guard output.shift <= 0 else { throw .unsupportedQuantization(tensor: .output(0)) }
        outputMultiplier = Self.downScaleToInt16(output.multiplier)
        outputExponent = output.shift
        let reluish = QuantizedMultiplier(Double(hiresInputScale / reluishScale))
        reluishMultiplier = Self.downScaleToInt16(reluish.multiplier)
        reluishExponent = reluish.shift
    }

    /// TFLite `DownScaleInt32ToInt16Multiplier`: rounds a Q0.31 significand to Q0.15, saturating.
    static func downScaleToInt16(_ multiplier: Int32) -> Int16 {
        let roundingOffset: Int32 = 1 << 15
        if multiplier >= Int32.max - roundingOffset { return Int16.max }
        return Int16(truncatingIfNeeded: (multiplier + roundingOffset) >> 16)
    }
}
