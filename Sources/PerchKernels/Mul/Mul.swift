/// Prepared parameters of the int8 `MUL` operator (TFLite builtin MUL, int8 path).
///
/// TFLite Micro's `CalculateOpDataMul`: one real multiplier `s1 · s2 / s_out`, computed in `Double`
/// from the `Float` scales and quantized with `QuantizeMultiplier`. Shapes broadcast numpy-style up
/// to rank 6.
public struct MulParameters: Sendable {
    /// `−zeroPoint` of input 1.
    public let input1Offset: Int32
    /// `−zeroPoint` of input 2.
    public let input2Offset: Int32
    /// The output zero point.
    public let outputOffset: Int32
    /// Rescales the product of the offset inputs to the output scale.
    public let outputMultiplier: QuantizedMultiplier
    /// Lower clamp of the fused activation, in output units.
    public let activationMin: Int32
    /// Upper clamp of the fused activation, in output units.
    public let activationMax: Int32
    /// The output shape (the broadcast of the two input shapes).
    public var outputShape: [Int] { broadcast.outputShape }
    /// Number of output elements.
    public var outputElementCount: Int { broadcast.elementCount }
    /// Element counts of the two inputs.
    public let inputElementCounts: (Int, Int)

    let broadcast: BinaryBroadcast

    /// Prepares an int8 MUL (TFLite Micro `MulPrepare`).
    ///
    /// - Parameters:
    ///   - input1Shape: Shape of input 0 (rank ≤ 6).
    ///   - input1Scale: Scale of input 0.
    ///   - input1ZeroPoint: Zero point of input 0.
    ///   - input2Shape: Shape of input 1 (rank ≤ 6), broadcastable against input 0.
    ///   - input2Scale: Scale of input 1.
    ///   - input2ZeroPoint: Zero point of input 1.
    ///   - outputShape: The model's output shape; must equal the broadcast shape.
    ///   - outputScale: Scale of the output.
    ///   - outputZeroPoint: Zero point of the output.
    ///   - activation: The fused activation.
    /// - Throws: ``KernelError`` for non-broadcastable or inconsistent shapes, a non-positive scale,
    ///   an out-of-range zero point, or an unsupported activation.
    public init(
        input1Shape: [Int], input1Scale: Float, input1ZeroPoint: Int32,
        input2Shape: [Int], input2Scale: Float, input2ZeroPoint: Int32,
        outputShape: [Int], outputScale: Float, outputZeroPoint: Int32,
        activation: FusedActivation = .none
    ) throws(KernelError) {
        try ShapeCheck.requireInt8Quantization(scale: input1Scale, zeroPoint: input1ZeroPoint, role: .input(0))
        try ShapeCheck.requireInt8Quantization(scale: input2Scale, zeroPoint: input2ZeroPoint, role: .input(1))
        try ShapeCheck.requireInt8Quantization(scale: outputScale, zeroPoint: outputZeroPoint, role: .output(0))
        broadcast = try BinaryBroadcast(input1Shape, input2Shape)
        try ShapeCheck.require(outputShape, equals: broadcast.outputShape, role: .output(0))
        inputElementCounts = (
            try ShapeCheck.elementCount(input1Shape, role: .input(0)),
            try ShapeCheck.elementCount(input2Shape, role: .input(1))
        )
        input1Offset = -input1ZeroPoint
        input2Offset = -input2ZeroPoint
        outputOffset = outputZeroPoint
        outputMultiplier = QuantizedMultiplier(Double(input1Scale) * Double(input2Scale) / Double(outputScale))
        (activationMin, activationMax) = try activationRangeInt8(
            activation, outputScale: outputScale, outputZeroPoint: outputZeroPoint
        )
    }

    /// TFLite `MulElementwise` for one int8 element.
    @inline(__always)
    func mul(_ x: Int8, _ y: Int8) -> Int8 {
        let product = (input1Offset + Int32(x)) * (input2Offset + Int32(y))
        let unclamped = outputOffset + outputMultiplier.apply(product)
        return Int8(truncatingIfNeeded: min(activationMax, max(activationMin, unclamped)))
    }
}
