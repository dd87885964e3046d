/// Prepared parameters of the int8 → float32 `DEQUANTIZE` operator (TFLite builtin DEQUANTIZE).
///
/// TFLite Micro's `DequantizePrepare` stores the scale widened to `Double`; evaluation is
/// `reference_ops::Dequantize`.
public struct DequantizeParameters: Sendable {
    /// The input scale, widened to `Double` as TFLite stores it.
    public let scale: Double
    /// The input zero point.
    public let zeroPoint: Int32
    /// Number of elements.
    public let elementCount: Int

    /// Prepares an int8 → float32 DEQUANTIZE.
    ///
    /// - Parameters:
    ///   - inputShape: Input shape.
    ///   - inputScale: Input scale.
    ///   - inputZeroPoint: Input zero point.
    ///   - outputShape: The model's output shape; must equal `inputShape`.
    /// - Throws: ``KernelError`` for inconsistent shapes or invalid quantization.
    public init(inputShape: [Int], inputScale: Float, inputZeroPoint: Int32, outputShape: [Int]) throws(KernelError) {
        elementCount = try ShapeCheck.elementCount(inputShape, role: .input(0))
        try ShapeCheck.require(outputShape, equals: inputShape, role: .output(0))
        try ShapeCheck.requireInt8Quantization(scale: inputScale, zeroPoint: inputZeroPoint, role: .input(0))
        scale = Double(inputScale)
        zeroPoint = inputZeroPoint
    }
}
