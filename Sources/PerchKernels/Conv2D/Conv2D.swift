// MARK: - CONV_2D (int8): prepared parameters

/// Prepared parameters of an int8 `CONV_2D` (TFLite builtin op 3, versions 1–6 for int8): TFLite
/// Micro's `ConvPrepare` / `CalculateOpDataConv` / `PopulateConvolutionQuantizationParams`.
///
/// Layout is NHWC for the input and output and OHWI for the filter. Grouped convolution is
/// supported as in TFLite Micro's reference kernel: the input depth must be a multiple of the
/// filter's input depth, and the number of groups must divide the output depth. Weights are int8
/// with one scale (per-tensor) or one scale per output channel (per-channel); TFLite Micro ignores a
/// filter zero point for int8 convolution, and so does this kernel. The bias is int32.
///
/// Rounding: each accumulator is requantized with TFLite's `MultiplyByQuantizedMultiplier`
/// (gemmlowp double rounding), the output zero point is added, and the result is clamped to the
/// fused activation's range inside [−128, 127].
public struct Conv2DParameters: Sendable {
    /// Input shape `[N, H, W, C_in]`.
    public let inputShape: Shape4
    /// Filter shape `[C_out, KH, KW, C_in / groups]` (OHWI).
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
    /// Leading padding above the image (`ComputePaddingHeightWidth`).
    public let paddingHeight: Int
    /// Leading padding left of the image.
    public let paddingWidth: Int
    /// Number of groups (`C_in / filter C_in`); 1 for an ordinary convolution.
    public let groups: Int
    /// `−input_zero_point`, added to every input value.
    public let inputOffset: Int32
    /// `output_zero_point`, added after requantization.
    public let outputOffset: Int32
    /// Per-output-channel Q0.31 multipliers.
    public let outputMultipliers: [Int32]
    /// Per-output-channel shifts (positive: left).
    public let outputShifts: [Int32]
    /// Per-output-channel bias (zeros when the op has none).
    public let bias: [Int32]
    /// Lower clamp of the output, from the fused activation.
    public let activationMin: Int32
    /// Upper clamp of the output, from the fused activation.
    public let activationMax: Int32

    /// `bias[c] + (inputOffset − 128) · Σ filter[c]` (wrapping), the accumulator's start for pixels whose
    /// receptive field lies entirely inside the image: the optimized kernels accumulate `(x + 128) · w`
    /// (an unsigned input operand; see ``DotKernels``).
    let foldedBias: [Int32]

    /// The filter transposed to `[KH·KW·C_in][C_out]` for the optimized kernel's channel-vectorized
    /// path, used when there are no groups or dilation and `C_out ≥ 8`; empty otherwise. Extra memory:
    /// one copy of the filter (outside the arena, for the interpreter's lifetime).
    let transposedFilter: [Int8]

    /// The filter packed for ``HardwareDotProduct`` (`[KH][⌈KW·C_in / 4⌉][C_out rounded up to 16][4]`), when
    /// the CPU has it, in place of ``transposedFilter`` (same eligibility); empty otherwise.
    let dotProductFilter: [Int8]

    /// Bytes of the filter copies made at prepare time for the optimized kernel (``transposedFilter`` or
    /// ``dotProductFilter``), held outside the arena for the parameters' lifetime.
    public var preparedWeightByteCount: Int { transposedFilter.count + dotProductFilter.count }

    /// Bytes of scratch memory the kernels need (none).
    public var scratchByteCount: Int { 0 }

    /// Validates a CONV_2D node and precomputes everything evaluation needs (TFLite Micro `Prepare`).
    ///
    /// - Parameters:
    ///   - inputShape: `[N, H, W, C_in]`.
    ///   - filterShape: `[C_out, KH, KW, C_in / groups]`.
    ///   - outputShape: the output tensor's static shape; must equal the computed one.
    ///   - strideHeight: vertical stride (≥ 1).
    ///   - strideWidth: horizontal stride (≥ 1).
    ///   - dilationHeight: vertical dilation (≥ 1).
    ///   - dilationWidth: horizontal dilation (≥ 1).
    ///   - padding: SAME or VALID.
    ///   - activation: fused activation (`none`, `relu`, `relu6`, `reluN1To1`).
    ///   - inputScale: input scale (> 0).
    ///   - inputZeroPoint: input zero point in [−128, 127].
    ///   - filterScales: one scale, or one per output channel (≥ 0).
    ///   - outputScale: output scale (> 0).
    ///   - outputZeroPoint: output zero point in [−128, 127].
    ///   - filter: the constant filter data (`C_out·KH·KW·C_in/groups` values), summed per output channel
    ///     so the fast paths can fold `inputOffset · Σ filter` into the bias. Evaluation must be given
    ///     the same data.
    ///   - bias: `C_out` int32 values, or `nil`.
    ///   - hardwareDotProduct: use ``HardwareDotProduct`` when this CPU has it (the default); `false` runs
    ///     the Swift loops on any CPU (tests compare both).
    /// - Throws: ``KernelError`` for inconsistent shapes, unsupported parameters or quantization.
    public init(
        inputShape: Shape4,
        filterShape: Shape4,
        outputShape: Shape4,
        strideHeight: Int,
        strideWidth: Int,
        dilationHeight: Int = 1,
        dilationWidth: Int = 1,
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

        let outputDepth = filterShape.batch
        guard inputShape.depth % filterShape.depth == 0 else {
            throw .shapeMismatch(
                tensor: .filter,
                expected: [outputDepth, filterShape.height, filterShape.width, inputShape.depth],
                actual: filterShape.dims)
        }
        let groups = inputShape.depth / filterShape.depth
        guard outputDepth % groups == 0 else {
            throw .shapeMismatch(
                tensor: .filter,
                expected: [
                    groups * Swift.max(1, outputDepth / groups), filterShape.height, filterShape.width,
                    filterShape.depth,
                ],
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
        self.groups = groups
        self.inputOffset = -inputZeroPoint
        self.outputOffset = outputZeroPoint
        self.outputMultipliers = multipliers
        self.outputShifts = shifts
        self.bias = bias ?? [Int32](repeating: 0, count: outputDepth)
        self.activationMin = range.min
        self.activationMax = range.max
        let windowDepth = filterShape.height * filterShape.width * filterShape.depth
        let channelVectorized = groups == 1 && dilationHeight == 1 && dilationWidth == 1 && outputDepth >= 8
        let useDotProduct = channelVectorized && hardwareDotProduct && HardwareDotProduct.isAvailable
        if useDotProduct {
            self.dotProductFilter = HardwareDotProduct.pack(
                filter, channels: outputDepth, rows: filterShape.height,
                runLength: filterShape.width * filterShape.depth)
        } else {
            self.dotProductFilter = []
        }
        if channelVectorized && !useDotProduct {
            var transposed = [Int8](repeating: 0, count: filter.count)
            for channel in 0..<outputDepth {
                for index in 0..<windowDepth {
                    transposed[index * outputDepth + channel] = filter[channel * windowDepth + index]
                }
            }
            self.transposedFilter = transposed
        } else {
            self.transposedFilter = []
        }
        self.foldedBias = ConvolutionQuantization.foldedBias(
            bias: self.bias, filter: filter, inputOffset: -inputZeroPoint &- 128, channels: outputDepth)
    }
}
