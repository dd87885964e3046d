import PerchKernels
import Testing

@Suite struct Conv2DTests {
    /// 2×2 image, 2×2 filter, SAME: TFLite pads only bottom/right (total padding 1 → leading 0).
    func sameParameters(activation: FusedActivation, filter: [Int8]) throws -> Conv2DParameters {
        try Conv2DParameters(
            inputShape: Shape4(batch: 1, height: 2, width: 2, depth: 1),
            filterShape: Shape4(batch: 1, height: 2, width: 2, depth: 1),
            outputShape: Shape4(batch: 1, height: 2, width: 2, depth: 1),
            strideHeight: 1, strideWidth: 1, padding: .same, activation: activation,
            inputScale: 0.5, inputZeroPoint: -1, filterScales: [1], outputScale: 1, outputZeroPoint: 0,
            filter: filter.span, bias: [1])
    }

    @Test func sameConvolutionSkipsPaddedTapsAndRoundsHalfUp() throws {
        // x + offset = [2, 3, 4, 5]; multiplier 0.5 = (2^30, 0), so out = floor((acc + 1) / 2).
        // (0,0): 1·2 + 2·3 + 3·4 + 4·5 + 1 = 41 → 21; (0,1): 1·3 + 3·5 + 1 = 19 → 10;
        // (1,0): 1·4 + 2·5 + 1 = 15 → 8; (1,1): 1·5 + 1 = 6 → 3.
        let filter: [Int8] = [1, 2, 3, 4]
        let input: [Int8] = [1, 2, 3, 4]
        let p = try sameParameters(activation: .none, filter: filter)
        #expect(p.paddingHeight == 0 && p.paddingWidth == 0)
        #expect(p.outputMultipliers == [1 << 30] && p.outputShifts == [0])
        let reference = runKernel(input: input, filter: filter, outputCount: 4) {
            conv2DReference(p, input: $0, filter: $1, output: &$2)
        }
        let optimized = runKernel(input: input, filter: filter, outputCount: 4) {
            conv2DOptimized(p, input: $0, filter: $1, output: &$2)
        }
        #expect(reference == [21, 10, 8, 3])
        #expect(optimized == reference)

        let relu6 = try sameParameters(activation: .relu6, filter: filter)
        #expect(relu6.activationMin == 0 && relu6.activationMax == 6)
        let clamped = runKernel(input: input, filter: filter, outputCount: 4) {
            conv2DReference(relu6, input: $0, filter: $1, output: &$2)
        }
        #expect(clamped == [6, 6, 6, 3])
    }

    @Test func perChannelScalesGiveOneMultiplierPerOutputChannel() throws {
        // Effective scales 0.5 and 0.125: ch0 acc = 10 − 20 = −10 → −5; ch1 = 20 + 20 = 40 → 5; +3.
        let filter: [Int8] = [1, 1, 2, -1]
        let p = try Conv2DParameters(
            inputShape: Shape4(batch: 1, height: 1, width: 1, depth: 2),
            filterShape: Shape4(batch: 2, height: 1, width: 1, depth: 2),
            outputShape: Shape4(batch: 1, height: 1, width: 1, depth: 2),
            strideHeight: 1, strideWidth: 1, padding: .valid, activation: .none,
            inputScale: 0.5, inputZeroPoint: 0, filterScales: [1, 0.25], outputScale: 1, outputZeroPoint: 3,
            filter: filter.span, bias: nil)
        #expect(p.outputMultipliers == [1 << 30, 1 << 30])
        #expect(p.outputShifts == [0, -2])
        let out = runKernel(input: [10, -20], filter: filter, outputCount: 2) {
            conv2DReference(p, input: $0, filter: $1, output: &$2)
        }
        #expect(out == [-2, 8])
        let optimized = runKernel(input: [10, -20], filter: filter, outputCount: 2) {
            conv2DOptimized(p, input: $0, filter: $1, output: &$2)
        }
        #expect(optimized == out)
    }

    func make(
        output: Shape4 = Shape4(batch: 1, height: 3, width: 3, depth: 2), stride: Int = 1,
        filterScales: [Float] = [0.1], inputZeroPoint: Int32 = 0, bias: [Int32]? = nil,
        filterCount: Int = 2 * 3 * 3 * 4, padding: Padding = .same
    ) throws(KernelError) -> Conv2DParameters {
        let filter = [Int8](repeating: 1, count: filterCount)
        return try Conv2DParameters(
            inputShape: Shape4(batch: 1, height: 3, width: 3, depth: 4),
            filterShape: Shape4(batch: 2, height: 3, width: 3, depth: 4), outputShape: output,
            strideHeight: stride, strideWidth: stride, padding: padding, activation: .none, inputScale: 0.1,
            inputZeroPoint: inputZeroPoint, filterScales: filterScales, outputScale: 0.2, outputZeroPoint: 0,
            filter: filter.span, bias: bias)
    }

    @Test func prepareRejectsInconsistentNodes() throws {
        _ = try make()
        #expect(throws: KernelError.shapeMismatch(tensor: .output(0), expected: [1, 3, 3, 2], actual: [1, 2, 2, 2])) {
            try make(output: Shape4(batch: 1, height: 2, width: 2, depth: 2))
        }
        #expect(throws: KernelError.unsupportedParameter(.stride, value: 0)) { try make(stride: 0) }
        #expect(throws: KernelError.unsupportedQuantization(tensor: .filter)) {
            try make(filterScales: [0.1, 0.2, 0.3])
        }
        #expect(throws: KernelError.unsupportedQuantization(tensor: .input(0))) { try make(inputZeroPoint: 200) }
        #expect(throws: KernelError.shapeMismatch(tensor: .bias, expected: [2], actual: [3])) {
            try make(bias: [1, 2, 3])
        }
        #expect(throws: KernelError.shapeMismatch(tensor: .filter, expected: [2, 3, 3, 4], actual: [5])) {
            try make(filterCount: 5)
        }
        // VALID with a 3×3 filter on 3×3 gives 1×1; a 4×4 image output claim is inconsistent.
        #expect(throws: KernelError.self) { try make(padding: .valid) }
    }

    /// Both optimized paths: the Swift loops, and the CPU's dot-product instruction where it has one
    /// (``HardwareDotProduct``; on a CPU without it the second run repeats the first).
    @Test(arguments: [false, true])
    func optimizedEqualsReferenceOnSeededRandomConvolutions(hardwareDotProduct: Bool) throws {
        var rng = SplitMix64(seed: 0xC0417)
        var tested = 0
        var attempts = 0
        while tested < 120 && attempts < 2000 {
            attempts += 1
            let pointwise = rng.int(in: 0...3) == 0
            let kh = pointwise ? 1 : rng.int(in: 1...4)
            let kw = pointwise ? 1 : rng.int(in: 1...4)
            let grouped = rng.int(in: 0...7) == 0
            let groups = grouped ? rng.int(in: 2...3) : 1
            // Pointwise convolutions (walked over all pixels as one row) with windows up to 100 values; fewer
            // than eight output channels take the dot-product tiles, more the outer-product ones.
            let filterDepth = rng.int(in: 1...(pointwise ? (rng.bool() ? 40 : 100) : 12))
            // Output depths of 16 and more take the sixteen-lane tiles on x86-64 (64, 32, 24 and 16 channels).
            let wide = [24, 56, 88][rng.int(in: 0...2)]
            let outDepth =
                groups
                * (rng.int(in: 0...5) == 0
                    ? wide : rng.int(in: 1...(rng.int(in: 0...2) == 0 ? 72 : (pointwise ? 24 : 10))))
            let dilated = rng.int(in: 0...7) == 0
            let input = Shape4(
                batch: rng.int(in: 1...2), height: rng.int(in: 1...11), width: rng.int(in: 1...16),
                depth: filterDepth * groups)
            let stride = pointwise ? 1 : rng.int(in: 1...3)
            let strideW = rng.bool() ? stride : rng.int(in: 1...3)
            let dilation = dilated ? 2 : 1
            let padding: Padding = rng.bool() ? .same : .valid
            let outH = computeOutputSize(
                padding: padding, imageSize: input.height, filterSize: kh, stride: stride, dilation: dilation)
            let outW = computeOutputSize(
                padding: padding, imageSize: input.width, filterSize: kw, stride: strideW, dilation: dilation)
            if outH < 1 || outW < 1 { continue }
            let filterShape = Shape4(batch: outDepth, height: kh, width: kw, depth: filterDepth)
            let output = Shape4(batch: input.batch, height: outH, width: outW, depth: outDepth)
            let filter = rng.int8Array(count: filterShape.elementCount)
            let perChannel = rng.bool()
            let scales = (0..<(perChannel ? outDepth : 1)).map { _ in rng.float(in: 0.0005...0.05) }
            // Mostly ordinary output scales; sometimes tiny ones (multipliers above 1: left shifts) or huge ones
            // (right shifts near 31), so every requantizer meets both ends of the shift range.
            let outputScale: Float
            switch rng.int(in: 0...5) {
            case 0: outputScale = rng.float(in: 0.000_02...0.000_2)
            case 1: outputScale = rng.float(in: 50...5000)
            default: outputScale = rng.float(in: 0.01...0.5)
            }
            let p = try Conv2DParameters(
                inputShape: input, filterShape: filterShape, outputShape: output, strideHeight: stride,
                strideWidth: strideW, dilationHeight: dilation, dilationWidth: dilation, padding: padding,
                activation: rng.activation(), inputScale: rng.float(in: 0.005...0.1), inputZeroPoint: rng.zeroPoint(),
                filterScales: scales, outputScale: outputScale, outputZeroPoint: rng.zeroPoint(),
                filter: filter.span, bias: rng.bool() ? rng.int32Array(count: outDepth, in: -30000...30000) : nil,
                hardwareDotProduct: hardwareDotProduct)
            let data = rng.int8Array(count: input.elementCount)
            let reference = runKernel(input: data, filter: filter, outputCount: output.elementCount) {
                conv2DReference(p, input: $0, filter: $1, output: &$2)
            }
            let optimized = runKernel(input: data, filter: filter, outputCount: output.elementCount) {
                conv2DOptimized(p, input: $0, filter: $1, output: &$2)
            }
            #expect(optimized == reference, "case \(tested): in \(input) filter \(filterShape) stride \(stride)")
            tested += 1
        }
        #expect(tested >= 50)
    }
}
