// MARK: - AVERAGE_POOL_2D / MAX_POOL_2D (int8): prepared parameters

/// Prepared parameters of an int8 `AVERAGE_POOL_2D` (TFLite builtin op 1) or `MAX_POOL_2D` (op 17):
/// TFLite Micro's `PoolingPrepare` / `CalculateOpDataPooling`.
///
/// Layout NHWC. The input and output must share their quantization (scales within 1e−6, equal zero
/// points), as TFLite Micro requires; the fused activation's range is computed from the output.
/// Padded taps are skipped (average pool divides by the number of in-bounds taps).
public struct Pool2DParameters: Sendable {
    /// Input shape `[N, H, W, C]`.
    public let inputShape: Shape4
    /// Output shape `[N, OH, OW, C]`, checked against the shape the op computes.
    public let outputShape: Shape4
    /// Window height.
    public let filterHeight: Int
    /// Window width.
    public let filterWidth: Int
    /// Vertical stride.
    public let strideHeight: Int
    /// Horizontal stride.
    public let strideWidth: Int
    /// Leading padding above the image.
    public let paddingHeight: Int
    /// Leading padding left of the image.
    public let paddingWidth: Int
    /// Lower clamp of the output.
    public let activationMin: Int32
    /// Upper clamp of the output.
    public let activationMax: Int32

    /// Bytes of scratch memory the kernels need (none).
    public var scratchByteCount: Int { 0 }

    /// Validates a pooling node and precomputes its padding and activation range.
    ///
    /// - Parameters:
    ///   - inputShape: `[N, H, W, C]`.
    ///   - outputShape: the output tensor's static shape; must equal the computed one.
    ///   - filterHeight: window height (≥ 1).
    ///   - filterWidth: window width (≥ 1).
    ///   - strideHeight: vertical stride (≥ 1).
    ///   - strideWidth: horizontal stride (≥ 1).
    ///   - padding: SAME or VALID.
    ///   - activation: fused activation (`none`, `relu`, `relu6`, `reluN1To1`).
    ///   - inputScale: input scale (> 0).
    ///   - inputZeroPoint: input zero point in [−128, 127].
    ///   - outputScale: output scale, within 1e−6 of the input scale.
    ///   - outputZeroPoint: output zero point, equal to the input's.
    /// - Throws: ``KernelError`` for inconsistent shapes, parameters or quantization.
    public init(
        inputShape: Shape4,
        outputShape: Shape4,
        filterHeight: Int,
        filterWidth: Int,
        strideHeight: Int,
        strideWidth: Int,
        padding: Padding,
        activation: FusedActivation,
        inputScale: Float,
        inputZeroPoint: Int32,
        outputScale: Float,
        outputZeroPoint: Int32
    ) throws(KernelError) {
        typealias Q = ConvolutionQuantization
        try Q.validate(inputShape, role: .input(0))
        try Q.validate(outputShape, role: .output(0))
        try Q.validateFactor(filterHeight, .filterSize)
        try Q.validateFactor(filterWidth, .filterSize)
        try Q.validateFactor(strideHeight, .stride)
        try Q.validateFactor(strideWidth, .stride)
        let vertical = try Q.outputSizeAndPadding(
            padding: padding, inputSize: inputShape.height, filterSize: filterHeight, stride: strideHeight,
            dilation: 1)
        let horizontal = try Q.outputSizeAndPadding(
            padding: padding, inputSize: inputShape.width, filterSize: filterWidth, stride: strideWidth, dilation: 1)
        let expected = Shape4(
            batch: inputShape.batch, height: vertical.size, width: horizontal.size, depth: inputShape.depth)
        guard expected == outputShape else {
            throw .shapeMismatch(tensor: .output(0), expected: expected.dims, actual: outputShape.dims)
        }
        try Q.validateActivation(scale: inputScale, zeroPoint: inputZeroPoint, role: .input(0))
        try Q.validateActivation(scale: outputScale, zeroPoint: outputZeroPoint, role: .output(0))
        guard (Double(inputScale) - Double(outputScale)).magnitude <= 1.0e-6, inputZeroPoint == outputZeroPoint else {
            throw .unsupportedQuantization(tensor: .output(0))
        }
        let range = try Q.activationRange(activation, outputScale: outputScale, outputZeroPoint: outputZeroPoint)

        self.inputShape = inputShape
        self.outputShape = outputShape
        self.filterHeight = filterHeight
        self.filterWidth = filterWidth
        self.strideHeight = strideHeight
        self.strideWidth = strideWidth
        self.paddingHeight = vertical.padding
        self.paddingWidth = horizontal.padding
        self.activationMin = range.min
        self.activationMax = range.max
    }
}
