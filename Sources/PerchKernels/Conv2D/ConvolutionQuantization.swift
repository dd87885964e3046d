// MARK: - Prepare-time helpers shared by CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED and the pools

/// Validation and multiplier computation that TFLite Micro's `Prepare` functions share
/// (`PopulateConvolutionQuantizationParams`, `CalculateActivationRangeQuantized`, …).
enum ConvolutionQuantization {
    /// Largest dimension accepted from a model: keeps every index computation far from `Int` overflow.
    static let maximumDimension = 1 << 24

    /// Largest element count accepted for one tensor: 2^31, or `Int.max` where `Int` is 32 bits (armv7).
    ///
    /// Not `1 << 31`: on a 32-bit `Int` that shift gives `Int.min` and every shape was rejected.
    static let maximumElementCount = Int(clamping: Int64(1) << 31)

    /// Checks that every dimension is in `1...maximumDimension` and the element count is sane.
    static func validate(_ dims: [Int], role: TensorRole) throws(KernelError) {
        var count = 1
        var valid = true
        for dim in dims {
            if dim < 1 || dim > maximumDimension {
                valid = false
                break
            }
            let (product, overflow) = count.multipliedReportingOverflow(by: dim)
            if overflow || product > maximumElementCount {
                valid = false
                break
            }
            count = product
        }
        if !valid {
            let expected = dims.map { Swift.min(Swift.max($0, 1), maximumDimension) }
            throw .shapeMismatch(tensor: role, expected: expected, actual: dims)
        }
    }

    /// Checks a shape of rank 4.
    static func validate(_ shape: Shape4, role: TensorRole) throws(KernelError) {
        try validate(shape.dims, role: role)
    }

    /// Checks an activation tensor's scale (finite, positive) and int8 zero point.
    static func validateActivation(scale: Float, zeroPoint: Int32, role: TensorRole) throws(KernelError) {
        guard scale.isFinite, scale > 0, zeroPoint >= -128, zeroPoint <= 127 else {
            throw .unsupportedQuantization(tensor: role)
        }
    }

    /// Checks per-tensor (one) or per-channel (`channels`) filter scales: finite and not negative.
    static func validateFilterScales(_ scales: [Float], channels: Int) throws(KernelError) {
        guard scales.count == 1 || scales.count == channels else {
            throw .unsupportedQuantization(tensor: .filter)
        }
        for scale in scales where !(scale.isFinite && scale >= 0) {
            throw .unsupportedQuantization(tensor: .filter)
        }
    }

    /// TFLite `PopulateConvolutionQuantizationParams` (per-axis and per-tensor): one multiplier per
    /// output channel, a single filter scale being broadcast.
    ///
    /// `effective_scale = double(input_scale) · double(filter_scale) / double(output_scale)`, each
    /// factor widened from `Float` before the arithmetic, then `QuantizeMultiplier`.
    static func perChannelMultipliers(
        inputScale: Float, filterScales: [Float], outputScale: Float, channels: Int
    ) -> (multipliers: [Int32], shifts: [Int32]) {
        var multipliers = [Int32]()
        var shifts = [Int32]()
        multipliers.reserveCapacity(channels)
        shifts.reserveCapacity(channels)
        let perChannel = filterScales.count > 1
        for channel in 0..<channels {
            let filterScale = Double(perChannel ? filterScales[channel] : filterScales[0])
            let effective = Double(inputScale) * filterScale / Double(outputScale)
            let quantized = QuantizedMultiplier(effective)
            multipliers.append(quantized.multiplier)
            shifts.append(quantized.shift)
        }
        return (multipliers, shifts)
    }

    /// `CalculateActivationRangeQuantized` for int8, refusing (as TFLite's `Quantize` helper does)
    /// a bound whose quantized value would not fit in `Int32`.
    static func activationRange(
        _ activation: FusedActivation, outputScale: Float, outputZeroPoint: Int32
    ) throws(KernelError) -> (min: Int32, max: Int32) {
        // TFLite quantizes 0, ±1 or 6 with `TfLiteRound(f / scale)`; a tiny scale would overflow.
        let bound: Float = activation == .relu6 ? 6 : 1
        let quantizesBound = activation == .relu6 || activation == .reluN1To1
        if quantizesBound && !((bound / outputScale).magnitude < Float(1 << 30)) {
            throw .unsupportedQuantization(tensor: .output(0))
        }
        let range = try activationRangeInt8(activation, outputScale: outputScale, outputZeroPoint: outputZeroPoint)
        return range
    }

    /// TFLite `ComputePaddingHeightWidth` + `ComputeOutSize` along one axis, refusing an empty output.
    static func outputSizeAndPadding(
        padding: Padding, inputSize: Int, filterSize: Int, stride: Int, dilation: Int
    ) throws(KernelError) -> (size: Int, padding: Int) {
        let size = computeOutputSize(
            padding: padding, imageSize: inputSize, filterSize: filterSize, stride: stride, dilation: dilation)
        guard size >= 1 else { throw .unsupportedParameter(.filterSize, value: filterSize) }
        let pad = computePadding(
            stride: stride, dilation: dilation, inSize: inputSize, filterSize: filterSize, outSize: size)
        return (size, pad.padding)
    }

    /// Checks a stride or dilation factor: in `1...maximumDimension`.
    static func validateFactor(_ value: Int, _ parameter: KernelParameter) throws(KernelError) {
        guard value >= 1, value <= maximumDimension else { throw .unsupportedParameter(parameter, value: value) }
    }
}

extension ConvolutionQuantization {
    /// `bias[c] + inputOffset · Σ filter[c·n ..< (c+1)·n]` with wrapping arithmetic, for a filter
    /// whose `channels` rows are contiguous (OHWI conv, FC).
    static func foldedBias(bias: [Int32], filter: Span<Int8>, inputOffset: Int32, channels: Int) -> [Int32] {
        let rowLength = filter.count / channels
        var folded = bias
        for channel in 0..<channels {
            var sum: Int32 = 0
            for index in (channel * rowLength)..<((channel + 1) * rowLength) {
                sum &+= Int32(filter[index])
            }
            folded[channel] = bias[channel] &+ inputOffset &* sum
        }
        return folded
    }
}
