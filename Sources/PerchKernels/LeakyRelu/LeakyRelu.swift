/// Prepared parameters of the int8 `LEAKY_RELU` operator (TFLite builtin LEAKY_RELU, int8 path).
///
/// TFLite Micro's `CalculateOpDataLeakyRelu`: two multipliers, `inputScale · alpha / outputScale`
/// for negative inputs and `inputScale / outputScale` for the rest, each computed in `Float`,
/// widened to `Double` and quantized with `QuantizeMultiplier`.
public struct LeakyReluParameters: Sendable {
    /// The input zero point.
    public let inputZeroPoint: Int32
    /// The output zero point.
    public let outputZeroPoint: Int32
    /// Multiplier applied to negative offset inputs.
    public let alphaMultiplier: QuantizedMultiplier
    /// Multiplier applied to non-negative offset inputs.
    public let identityMultiplier: QuantizedMultiplier
    /// Number of elements.
    public let elementCount: Int

    /// Prepares an int8 LEAKY_RELU.
    ///
    /// - Parameters:
    ///   - inputShape: Input shape.
    ///   - inputScale: Input scale.
    ///   - inputZeroPoint: Input zero point.
    ///   - alpha: The slope for negative inputs.
    ///   - outputShape: The model's output shape; must equal `inputShape`.
    ///   - outputScale: Output scale.
    ///   - outputZeroPoint: Output zero point.
    /// - Throws: ``KernelError`` for inconsistent shapes, invalid quantization or a non-finite alpha.
    public init(
        inputShape: [Int], inputScale: Float, inputZeroPoint: Int32, alpha: Float,
        outputShape: [Int], outputScale: Float, outputZeroPoint: Int32
    ) throws(KernelError) {
        elementCount = try ShapeCheck.elementCount(inputShape, role: .input(0))
        try ShapeCheck.require(outputShape, equals: inputShape, role: .output(0))
        try ShapeCheck.requireInt8Quantization(scale: inputScale, zeroPoint: inputZeroPoint, role: .input(0))
        try ShapeCheck.requireInt8Quantization(scale: outputScale, zeroPoint: outputZeroPoint, role: .output(0))
        guard alpha.isFinite else { throw .unsupportedParameter(.alpha, value: 0) }
        self.inputZeroPoint = inputZeroPoint
        self.outputZeroPoint = outputZeroPoint
        alphaMultiplier = QuantizedMultiplier(Double(inputScale * alpha / outputScale))
        identityMultiplier = QuantizedMultiplier(Double(inputScale / outputScale))
    }
}
