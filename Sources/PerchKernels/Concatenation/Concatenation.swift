/// Prepared parameters of the int8 `CONCATENATION` operator (TFLite builtin CONCATENATION).
///
/// TFLite Micro's int8 concatenation copies bytes: it records the inputs' scales and zero points but
/// never requantizes, so inputs whose quantization differs from the output's are concatenated as
/// raw values, exactly as TFLite Micro does (converters emit equal quantization). Up to 10 inputs
/// of rank ≤ 4; only `activation == .none` is supported.
public struct ConcatenationParameters: Sendable {
    /// The resolved (non-negative) concatenation axis.
    public let axis: Int
    /// The output shape.
    public let outputShape: [Int]
    /// Number of output elements.
    public let outputElementCount: Int
    /// Product of the output extents before `axis`.
    public let outerSize: Int
    /// For each input, the contiguous run it contributes per outer step (its extents from `axis` on).
    public let copySizes: [Int]
    /// For each input, where its first run starts inside an output outer step.
    public let copyOffsets: [Int]
    /// The output's run per outer step (sum of `copySizes`).
    public let outputStride: Int

    /// The most inputs TFLite Micro's concatenation accepts (`kMaxInputNum`).
    public static let maxInputCount = 10

    /// Prepares an int8 CONCATENATION.
    ///
    /// - Parameters:
    ///   - inputShapes: The shapes of the inputs, 1 to 10 of them, all of the output's rank (≤ 4).
    ///   - axis: The operator's axis; negative values count from the end of the output's rank.
    ///   - activation: The fused activation; TFLite Micro only accepts `.none`.
    ///   - outputShape: The model's output shape; must equal the inputs' shape with the axis extents summed.
    /// - Throws: ``KernelError`` for a bad input count, rank, axis or activation, or shapes that do not
    ///   concatenate into `outputShape`.
    public init(
        inputShapes: [[Int]], axis: Int, activation: FusedActivation = .none, outputShape: [Int]
    ) throws(KernelError) {
        guard activation == .none else { throw .unsupportedParameter(.activation, value: 1) }
        guard !inputShapes.isEmpty && inputShapes.count <= Self.maxInputCount else {
            throw .unsupportedParameter(.count, value: inputShapes.count)
        }
        try ShapeCheck.requireRank(outputShape, in: 1...4, role: .output(0))
        let rank = outputShape.count
        let resolved = axis < 0 ? axis + rank : axis
        guard resolved >= 0 && resolved < rank else { throw .unsupportedParameter(.axis, value: axis) }
        var expected = inputShapes[0]
        var axisSum = 0
        var sizes: [Int] = []
        var offsets: [Int] = []
        var running = 0
        for (index, shape) in inputShapes.enumerated() {
            guard shape.count == rank else {
                throw .rankMismatch(tensor: .input(index), expected: rank, actual: shape.count)
            }
            _ = try ShapeCheck.elementCount(shape, role: .input(index))
            for d in 0..<rank where d != resolved && shape[d] != inputShapes[0][d] {
                throw .shapeMismatch(tensor: .input(index), expected: inputShapes[0], actual: shape)
            }
            axisSum += shape[resolved]
            var size = 1
            for d in resolved..<rank { size *= shape[d] }
            sizes.append(size)
            offsets.append(running)
            running += size
        }
        expected[resolved] = axisSum
        try ShapeCheck.require(outputShape, equals: expected, role: .output(0))
        outputElementCount = try ShapeCheck.elementCount(outputShape, role: .output(0))
        self.axis = resolved
        self.outputShape = outputShape
        var outer = 1
        for d in 0..<resolved { outer *= outputShape[d] }
        outerSize = outer
        copySizes = sizes
        copyOffsets = offsets
        outputStride = running
    }
}
