// MARK: - DEPTHWISE_CONV_2D (int8): prepared parameters

/// Prepared parameters of an int8 `DEPTHWISE_CONV_2D` (TFLite builtin op 4, int8 versions 3–7): TFLite
/// Micro's `DepthwiseConvPrepare` / `CalculateOpDataDepthwiseConv` /
/// `PopulateConvolutionQuantizationParams` (quantized dimension 3).
///
/// Layout is NHWC for the input and output and `[1, KH, KW, C_in · depthMultiplier]` for the filter;
/// output channel `c·depthMultiplier + m` reads input channel `c`. Weights are int8 with one scale or
/// one per output channel; TFLite Micro ignores the filter zero point, and so does this kernel.
///
/// Rounding: `MultiplyByQuantizedMultiplier` (gemmlowp double rounding), `+ output_zero_point`,
/// clamp to the fused activation's range inside [−128, 127].
public struct DepthwiseConv2DParameters: Sendable {
    /// Input shape `[N, H, W, C_in]`.
    public let inputShape: Shape4
    /// Filter shape `[1, KH, KW, C_out]`.
    public let filterShape: Shape4
    /// Output shape `[N, OH, OW, C_out]`, checked against the shape the op computes.
    public let outputShape: Shape4
    /// Vertical stride.
    public let strideHeight: Int
    /// Horizontal stride.
    public let strideWidth: Int
    /// Vertical dilation factor.
    public let dilationHeight: Int
    /// Horizontal dilation factor.
    public let dilationWidth: Int
    /// Leading padding above the image.
    public let paddingHeight: Int
    /// Leading padding left of the image.
    public let paddingWidth: Int
    /// Output channels per input channel.
    public let depthMultiplier: Int
    /// `−input_zero_point`.
    public let inputOffset: Int32
    /// `output_zero_point`.
    public let outputOffset: Int32
    /// Per-output-channel Q0.31 multipliers.
    public let outputMultipliers: [Int32]
    /// Per-output-channel shifts (positive: left).
    public let outputShifts: [Int32]
    /// Per-output-channel bias (zeros when the op has none).
    public let bias: [Int32]
    /// Lower clamp of the output.
    public let activationMin: Int32
    /// Upper clamp of the output.
    public let activationMax: Int32

    /// `bias[c] + (inputOffset − 128) · Σ_taps filter[·, ·, ·, c]` (wrapping), for interior pixels: the
    /// optimized kernel accumulates `(x + 128) · w` there (an unsigned input operand, see `DotKernels`).
    let foldedBias: [Int32]

    /// Whether the optimized kernel runs runs of four interior pixels (depth multiplier 1) through
    /// ``HardwareDotProduct``'s C kernel.
    let usesHardwareDotProduct: Bool

    /// Bytes of scratch memory the kernels need (none).
    public var scratchByteCount: Int { 0 }

    /// Validates a DEPTHWISE_CONV_2D node and precomputes everything evaluation needs.
    ///
    /// - Parameters:
    ///   - inputShape: `[N, H, W, C_in]`.
    ///   - filterShape: `[1, KH, KW, C_in · depthMultiplier]`.
    ///   - outputShape: the output tensor's static shape; must equal the computed one.
    ///   - strideHeight: vertical stride (≥ 1).
    ///   - strideWidth: horizontal stride (≥ 1).
    ///   - dilationHeight: vertical dilation (≥ 1).
    ///   - dilationWidth: horizontal dilation (≥ 1).
    ///   - depthMultiplier: output channels per input channel (≥ 1).
    ///   - padding: SAME or VALID.
    ///   - activation: fused activation (`none`, `relu`, `relu6`, `reluN1To1`).
    ///   - inputScale: input scale (> 0).
    ///   - inputZeroPoint: input zero point in [−128, 127].
    ///   - filterScales: one scale, or one per output channel (≥ 0).
    ///   - outputScale: output scale (> 0).
    ///   - outputZeroPoint: output zero point in [−128, 127].
    ///   - filter: the constant filter data; evaluation must be given the same data.
    ///   - bias: `C_out` int32 values, or `nil`.
    ///   - hardwareDotProduct: run interior pixels through ``HardwareDotProduct``'s C kernel when this CPU has it
    ///     (the default; depth multiplier 1); `false` runs the Swift loops on any CPU (tests compare both).
    /// - Throws: ``KernelError`` for inconsistent shapes, unsupported parameters or quantization.
    public init(
        inputShape: Shape4,
        filterShape: Shape4,
        outputShape: Shape4,
        strideHeight: Int,
        strideWidth: Int,
        dilationHeight: Int = 1,
        dilationWidth: Int = 1,
        depthMultiplier: Int,
        padding: Padding,
        activation: FusedActivation,
        inputScale: Float,
        inputZeroPoint: Int32,
        filterScales: [Float],
        outputScale: Float,
        outputZeroPoint: Int32,
        filter: Span<Int8>,
        bias: [Int32]?,
        hardwareDotProduct: Bool = HardwareDotProduct.isAvailable
    ) throws(KernelError) {
        typealias Q = ConvolutionQuantization
        try Q.validate(inputShape, role: .input(0))
        try Q.validate(filterShape, role: .filter)
        try Q.validate(outputShape, role: .output(0))
        try Q.validateFactor(strideHeight, .stride)
        try Q.validateFactor(strideWidth, .stride)
        try Q.validateFactor(dilationHeight, .dilation)
        try Q.validateFactor(dilationWidth, .dilation)
        try Q.validateFactor(depthMultiplier, .depthMultiplier)

        let outputDepth = inputShape.depth * depthMultiplier
        guard filterShape.batch == 1, filterShape.depth == outputDepth else {
            throw .shapeMismatch(
                tensor: .filter, expected: [1, filterShape.height, filterShape.width, outputDepth],
                actual: filterShape.dims)
        }
        let vertical = try Q.outputSizeAndPadding(
            padding: padding, inputSize: inputShape.height, filterSize: filterShape.height,
            stride: strideHeight, dilation: dilationHeight)
        let horizontal = try Q.outputSizeAndPadding(
            padding: padding, inputSize: inputShape.width, filterSize: filterShape.width,
            stride: strideWidth, dilation: dilationWidth)
        let expected = Shape4(
            batch: inputShape.batch, height: vertical.size, width: horizontal.size, depth: outputDepth)
        guard expected == outputShape else {
            throw .shapeMismatch(tensor: .output(0), expected: expected.dims, actual: outputShape.dims)
        }

        try Q.validateActivation(scale: inputScale, zeroPoint: inputZeroPoint, role: .input(0))
        try Q.validateActivation(scale: outputScale, zeroPoint: outputZeroPoint, role: .output(0))
        try Q.validateFilterScales(filterScales, channels: outputDepth)
        guard filter.count == filterShape.elementCount else {
            throw .shapeMismatch(tensor: .filter, expected: filterShape.dims, actual: [filter.count])
        }
        if let bias, bias.count != outputDepth {
            throw .shapeMismatch(tensor: .bias, expected: [outputDepth], actual: [bias.count])
        }
        let range = try Q.activationRange(activation, outputScale: outputScale, outputZeroPoint: outputZeroPoint)
        let (multipliers, shifts) = Q.perChannelMultipliers(
            inputScale: inputScale, filterScales: filterScales, outputScale: outputScale, channels: outputDepth)

        self.inputShape = inputShape
        self.filterShape = filterShape
        self.outputShape = outputShape
        self.strideHeight = strideHeight
        self.strideWidth = strideWidth
        self.dilationHeight = dilationHeight
        self.dilationWidth = dilationWidth
        self.paddingHeight = vertical.padding
        self.paddingWidth = horizontal.padding
        self.depthMultiplier = depthMultiplier
        self.inputOffset = -inputZeroPoint
        self.outputOffset = outputZeroPoint
        self.outputMultipliers = multipliers
        self.outputShifts = shifts
        let bias = bias ?? [Int32](repeating: 0, count: outputDepth)
        self.bias = bias
        self.activationMin = range.min
        self.activationMax = range.max

        var folded = bias
        let taps = filterShape.height * filterShape.width
        for channel in 0..<outputDepth {
            var sum: Int32 = 0
            for tap in 0..<taps { sum &+= Int32(filter[tap * outputDepth + channel]) }
            folded[channel] = bias[channel] &+ (-inputZeroPoint &- 128) &* sum
        }
        self.foldedBias = folded
        self.usesHardwareDotProduct = hardwareDotProduct && depthMultiplier == 1 && HardwareDotProduct.isAvailable
    }
}
