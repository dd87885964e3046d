/// Prepared parameters of the int8 → int8 `QUANTIZE` operator (a requantization).
///
/// TFLite Micro's `PrepareQuantizeReference`: the multiplier of `inputScale / outputScale`, divided
/// in `Double` and quantized with `QuantizeMultiplier`; evaluation is `reference_ops::Requantize`.
public struct RequantizeParameters: Sendable {
    /// The input zero point.
    public let inputZeroPoint: Int32
    /// The output zero point.
    public let outputZeroPoint: Int32
    /// The effective scale `inputScale / outputScale`.
    public let multiplier: QuantizedMultiplier
    /// Number of elements.
    public let elementCount: Int

    /// Prepares an int8 → int8 QUANTIZE.
    ///
    /// - Parameters:
    ///   - inputShape: Input shape.
    ///   - inputScale: Input scale.
    ///   - inputZeroPoint: Input zero point.
    ///   - outputShape: The model's output shape; must equal `inputShape`.
    ///   - outputScale: Output scale.
    ///   - outputZeroPoint: Output zero point.
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
        self.outputZeroPoint = outputZeroPoint
        multiplier = QuantizedMultiplier(Double(inputScale) / Double(outputScale))
    }
}

/// Int8 → int8 QUANTIZE, TFLite reference (`reference_ops::Requantize`).
///
/// `q = clamp(zp_out + MultiplyByQuantizedMultiplier(x − zp_in, M, shift), −128, 127)` with
/// gemmlowp double rounding (ties away from zero).
///
/// - Parameters:
///   - p: Prepared parameters.
///   - input: The input, `p.elementCount` elements.
///   - output: The output, same size.
/// - Precondition: The buffers have the prepared sizes.
public func requantizeReference(_ p: RequantizeParameters, input: Span<Int8>, output: inout MutableSpan<Int8>) {
    precondition(input.count == p.elementCount && output.count == p.elementCount)
    for i in 0..<p.elementCount {
        let x = Int32(input[i]) - p.inputZeroPoint
        output[i] = ShapeCheck.clampToInt8(p.multiplier.apply(x) + p.outputZeroPoint)
    }
}
