/// Prepared parameters of the float32 → int8 `QUANTIZE` operator (TFLite builtin QUANTIZE).
///
/// TFLite Micro's `PrepareQuantizeReference` with a per-tensor output quantization; evaluation is
/// `reference_ops::AffineQuantize`.
public struct QuantizeParameters: Sendable {
    /// The output scale (division happens in `Float`, as TFLite does).
    public let outputScale: Float
    /// The output zero point.
    public let outputZeroPoint: Int32
    /// Number of elements.
    public let elementCount: Int

    /// Prepares a float32 → int8 QUANTIZE.
    ///
    /// - Parameters:
    ///   - inputShape: Input shape.
    ///   - outputShape: The model's output shape; must equal `inputShape`.
    ///   - outputScale: Output scale.
    ///   - outputZeroPoint: Output zero point.
    /// - Throws: ``KernelError`` for inconsistent shapes or invalid output quantization.
    public init(inputShape: [Int], outputShape: [Int], outputScale: Float, outputZeroPoint: Int32) throws(KernelError) {
        elementCount = try ShapeCheck.elementCount(inputShape, role: .input(0))
        try ShapeCheck.require(outputShape, equals: inputShape, role: .output(0))
        try ShapeCheck.requireInt8Quantization(scale: outputScale, zeroPoint: outputZeroPoint, role: .output(0))
        self.outputScale = outputScale
        self.outputZeroPoint = outputZeroPoint
    }
}
