/// Prepared parameters of the int8 `ADD` operator (TFLite builtin ADD, versions 1–4, int8 path).
///
/// This is TFLite Micro's `CalculateOpDataAdd`: the inputs are rescaled onto a common scale
/// `2 · max(s1, s2)` after a left shift of 20 bits, summed, and rescaled to the output. Multipliers
/// are computed in `Double` from the `Float` scales and quantized with TFLite's
/// `QuantizeMultiplierSmallerThanOneExp`. Shapes broadcast numpy-style up to rank 6.
public struct AddParameters: Sendable {
    /// The left shift applied to both offset inputs before rescaling (20 for int8).
    public let leftShift: Int32
    /// `−zeroPoint` of input 1.
    public let input1Offset: Int32
    /// `−zeroPoint` of input 2.
    public let input2Offset: Int32
    /// The output zero point.
    public let outputOffset: Int32
    /// Rescales input 1 onto the common scale (shift ≤ 0).
    public let input1Multiplier: QuantizedMultiplier
    /// Rescales input 2 onto the common scale (shift ≤ 0).
    public let input2Multiplier: QuantizedMultiplier
    /// Rescales the sum to the output scale (shift ≤ 0).
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
    /// `input1Multiplier` applied to `(q + input1Offset) << 20` for every int8 `q` (index `q + 128`);
    /// the optimized kernel's lookup table, bit-identical to evaluating `AddFunc`'s first half.
    let input1Table: [Int32]
    /// The same table for input 2.
    let input2Table: [Int32]

    /// Prepares an int8 ADD (TFLite Micro `AddPrepare`).
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
    ///   an out-of-range zero point, a real output multiplier ≥ 1, or an unsupported activation.
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

        leftShift = 20
        input1Offset = -input1ZeroPoint
        input2Offset = -input2ZeroPoint
        outputOffset = outputZeroPoint
        let twiceMaxInputScale = 2 * Double(max(input1Scale, input2Scale))
        let realInput1Multiplier = Double(input1Scale) / twiceMaxInputScale
        let realInput2Multiplier = Double(input2Scale) / twiceMaxInputScale
        let realOutputMultiplier = twiceMaxInputScale / (Double(1 << 20) * Double(outputScale))
        input1Multiplier = try Self.smallerThanOne(realInput1Multiplier, role: .input(0))
        input2Multiplier = try Self.smallerThanOne(realInput2Multiplier, role: .input(1))
        outputMultiplier = try Self.smallerThanOne(realOutputMultiplier, role: .output(0))
        (activationMin, activationMax) = try activationRangeInt8(
            activation, outputScale: outputScale, outputZeroPoint: outputZeroPoint
        )
        var table1 = [Int32](repeating: 0, count: 256)
        var table2 = [Int32](repeating: 0, count: 256)
        for q in -128...127 {
            table1[q + 128] = Self.scaledInput(
                Int8(q), offset: input1Offset, multiplier: input1Multiplier, leftShift: 20)
            table2[q + 128] = Self.scaledInput(
                Int8(q), offset: input2Offset, multiplier: input2Multiplier, leftShift: 20)
        }
        input1Table = table1
        input2Table = table2
    }

    /// One input's half of `AddFunc`: offset, shift left, rescale onto the common scale.
    @inline(__always)
    static func scaledInput(
        _ x: Int8, offset: Int32, multiplier: QuantizedMultiplier, leftShift: Int32
    ) -> Int32 {
        FixedPoint.multiplyByQuantizedMultiplierSmallerThanOneExp(
            (offset + Int32(x)) << leftShift, multiplier.multiplier, leftShift: multiplier.shift
        )
    }

    /// `AddFunc`'s second half: rescale the sum to the output, offset, clamp.
    @inline(__always)
    func finish(_ rawSum: Int32) -> Int8 {
        let rawOutput =
            FixedPoint.multiplyByQuantizedMultiplierSmallerThanOneExp(
                rawSum, outputMultiplier.multiplier, leftShift: outputMultiplier.shift
            ) + outputOffset
        return Int8(truncatingIfNeeded: min(activationMax, max(activationMin, rawOutput)))
    }

    /// TFLite `QuantizeMultiplierSmallerThanOneExp`: requires `0 < real < 1` (a shift ≤ 0).
    static func smallerThanOne(_ real: Double, role: TensorRole) throws(KernelError) -> QuantizedMultiplier {
        guard real > 0 && real < 1 else { throw .unsupportedQuantization(tensor: role) }
        let quantized = QuantizedMultiplier(real)
        guard quantized.shift <= 0 else { throw .unsupportedQuantization(tensor: role) }
        return quantized
    }

    /// TFLite `AddFunc` for int8: one output element from two input elements.
    @inline(__always)
    func add(_ x: Int8, _ y: Int8) -> Int8 {
        let scaled1 = Self.scaledInput(x, offset: input1Offset, multiplier: input1Multiplier, leftShift: leftShift)
        let scaled2 = Self.scaledInput(y, offset: input2Offset, multiplier: input2Multiplier, leftShift: leftShift)
        return finish(scaled1 + scaled2)
    }
}
