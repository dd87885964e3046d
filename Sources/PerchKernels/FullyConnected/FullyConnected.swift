// MARK: - FULLY_CONNECTED (int8): prepared parameters

/// Prepared parameters of an int8 `FULLY_CONNECTED` (TFLite builtin op 9, int8 versions 4–13): TFLite
/// Micro's `FullyConnectedPrepare` / `CalculateOpDataFullyConnected`.
///
/// Weights are `[units, depth]` int8, symmetric (zero point 0), with one scale (per-tensor, TFLite
/// `reference_integer_ops::FullyConnected`) or one per unit (per-channel, as TF 2.21 emits it:
/// `FullyConnectedPerChannel`). The input is read as `batches × depth` values in row-major order,
/// `batches = input elements / depth`.
///
/// Multipliers follow TFLite Micro exactly: per-channel uses
/// `double(input_scale) · double(filter_scale[c]) / double(output_scale)`, per-tensor uses
/// `double(input_scale · filter_scale) / double(output_scale)` with the product taken in `Float`
/// (`GetQuantizedConvolutionMultipler`). Requantization is gemmlowp DOUBLE rounding
/// (`MultiplyByQuantizedMultiplier`), which is TFLite Micro's behaviour — LiteRT's optimized FC
/// rounds once and differs by ±1 on rare values.
public struct FullyConnectedParameters: Sendable {
    /// Input dimensions as given.
    public let inputDims: [Int]
    /// Output dimensions as given (checked against the computed ones).
    public let outputDims: [Int]
    /// Number of output units (filter rows).
    public let units: Int
    /// Values per input row (filter columns).
    public let depth: Int
    /// Number of input rows.
    public let batches: Int
    /// `−input_zero_point`.
    public let inputOffset: Int32
    /// `output_zero_point`.
    public let outputOffset: Int32
    /// Whether the filter has one scale per unit.
    public let isPerChannel: Bool
    /// Q0.31 multiplier per unit (all equal for per-tensor weights).
    public let outputMultipliers: [Int32]
    /// Shift per unit (positive: left).
    public let outputShifts: [Int32]
    /// Per-unit bias (zeros when the op has none).
    public let bias: [Int32]
    /// Lower clamp of the output.
    public let activationMin: Int32
    /// Upper clamp of the output.
    public let activationMax: Int32

    /// `bias[u] + (inputOffset − 128) · Σ filter[u, ·]` (wrapping): the optimized kernel accumulates
    /// `(x + 128) · w` (see ``DotKernels``).
    let foldedBias: [Int32]

    /// Bytes of scratch memory the kernels need (none).
    public var scratchByteCount: Int { 0 }

    /// Validates a FULLY_CONNECTED node and precomputes everything evaluation needs.
    ///
    /// - Parameters:
    ///   - inputDims: input tensor dimensions; their product must be a multiple of the filter depth.
    ///   - filterDims: `[units, depth]`.
    ///   - outputDims: output tensor dimensions: `[batches, units]`, or with `keepNumDims` the input
    ///     dimensions with the last replaced by `units`.
    ///   - keepNumDims: the op's `keep_num_dims` option.
    ///   - activation: fused activation (`none`, `relu`, `relu6`, `reluN1To1`).
    ///   - inputScale: input scale (> 0).
    ///   - inputZeroPoint: input zero point in [−128, 127].
    ///   - filterScales: one scale, or one per unit (≥ 0).
    ///   - filterZeroPoint: must be 0 (int8 weights are symmetric).
    ///   - outputScale: output scale (> 0).
    ///   - outputZeroPoint: output zero point in [−128, 127].
    ///   - filter: the constant `units · depth` weights; evaluation must be given the same data.
    ///   - bias: `units` int32 values, or `nil`.
    ///   - biasScale: the bias tensor's scale, if known; for per-tensor weights TFLite requires
    ///     `|input_scale · filter_scale − bias_scale| / output_scale ≤ 0.02`.
    /// - Throws: ``KernelError`` for inconsistent shapes or unsupported quantization.
    public init(
        inputDims: [Int],
        filterDims: [Int],
        outputDims: [Int],
        keepNumDims: Bool = false,
        activation: FusedActivation,
        inputScale: Float,
        inputZeroPoint: Int32,
        filterScales: [Float],
        filterZeroPoint: Int32 = 0,
        outputScale: Float,
        outputZeroPoint: Int32,
        filter: Span<Int8>,
        bias: [Int32]?,
        biasScale: Float? = nil
    ) throws(KernelError) {
        typealias Q = ConvolutionQuantization
        guard filterDims.count == 2 else {
            throw .rankMismatch(tensor: .filter, expected: 2, actual: filterDims.count)
        }
        guard !inputDims.isEmpty else { throw .rankMismatch(tensor: .input(0), expected: 2, actual: 0) }
        try Q.validate(inputDims, role: .input(0))
        try Q.validate(filterDims, role: .filter)
        try Q.validate(outputDims, role: .output(0))
        let units = filterDims[0]
        let depth = filterDims[1]
        var inputCount = 1
        for dim in inputDims { inputCount *= dim }
        guard inputCount % depth == 0 else {
            throw .shapeMismatch(
                tensor: .filter, expected: [units, inputDims[inputDims.count - 1]], actual: filterDims)
        }
        let batches = inputCount / depth
        var expected = [batches, units]
        if keepNumDims {
            expected = inputDims
            expected[expected.count - 1] = units
        }
        guard expected == outputDims else {
            throw .shapeMismatch(tensor: .output(0), expected: expected, actual: outputDims)
        }

        try Q.validateActivation(scale: inputScale, zeroPoint: inputZeroPoint, role: .input(0))
        try Q.validateActivation(scale: outputScale, zeroPoint: outputZeroPoint, role: .output(0))
        try Q.validateFilterScales(filterScales, channels: units)
        guard filterZeroPoint == 0 else { throw .unsupportedQuantization(tensor: .filter) }
        guard filter.count == units * depth else {
            throw .shapeMismatch(tensor: .filter, expected: filterDims, actual: [filter.count])
        }
        if let bias, bias.count != units {
            throw .shapeMismatch(tensor: .bias, expected: [units], actual: [bias.count])
        }
        let range = try Q.activationRange(activation, outputScale: outputScale, outputZeroPoint: outputZeroPoint)

        let isPerChannel = filterScales.count > 1
        var multipliers: [Int32]
        var shifts: [Int32]
        if isPerChannel {
            (multipliers, shifts) = Q.perChannelMultipliers(
                inputScale: inputScale, filterScales: filterScales, outputScale: outputScale, channels: units)
        } else {
            if let biasScale, bias != nil {
                // `GetQuantizedConvolutionMultipler` with a bias: the scales must nearly agree.
                let productScale = Double(inputScale) * Double(filterScales[0])
                let difference = (productScale - Double(biasScale)).magnitude
                guard difference / Double(outputScale) <= 0.02 else { throw .unsupportedQuantization(tensor: .bias) }
            }
            // The product is rounded to `Float` before widening, as TFLite does.
            let real = Double(inputScale * filterScales[0]) / Double(outputScale)
            let quantized = QuantizedMultiplier(real)
            multipliers = [Int32](repeating: quantized.multiplier, count: units)
            shifts = [Int32](repeating: quantized.shift, count: units)
        }

        self.inputDims = inputDims
        self.outputDims = outputDims
        self.units = units
        self.depth = depth
        self.batches = batches
        self.inputOffset = -inputZeroPoint
        self.outputOffset = outputZeroPoint
        self.isPerChannel = isPerChannel
        self.outputMultipliers = multipliers
        self.outputShifts = shifts
        let bias = bias ?? [Int32](repeating: 0, count: units)
        self.bias = bias
        self.activationMin = range.min
        self.activationMax = range.max
        self.foldedBias = Q.foldedBias(bias: bias, filter: filter, inputOffset: -inputZeroPoint &- 128, channels: units)
    }
}
