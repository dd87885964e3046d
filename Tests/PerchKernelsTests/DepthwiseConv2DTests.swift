import PerchKernels
import Testing

@Suite struct DepthwiseConv2DTests {
    func box3x3(inputZeroPoint: Int32) throws -> DepthwiseConv2DParameters {
        // Scales 1·1/1 → multiplier (2^30, 1), which maps every accumulator to itself.
        let filter = [Int8](repeating: 1, count: 9)
        return try DepthwiseConv2DParameters(
            inputShape: Shape4(batch: 1, height: 3, width: 3, depth: 1),
            filterShape: Shape4(batch: 1, height: 3, width: 3, depth: 1),
            outputShape: Shape4(batch: 1, height: 3, width: 3, depth: 1),
            strideHeight: 1, strideWidth: 1, depthMultiplier: 1, padding: .same, activation: .none,
            inputScale: 1, inputZeroPoint: inputZeroPoint, filterScales: [1], outputScale: 1, outputZeroPoint: 0,
            filter: filter.span, bias: nil)
    }

    @Test func sameBoxFilterSumsOnlyInBoundsTaps() throws {
        let input: [Int8] = [1, 2, 3, 4, 5, 6, 7, 8, 9]
        let filter = [Int8](repeating: 1, count: 9)
        let p = try box3x3(inputZeroPoint: 0)
        #expect(p.outputMultipliers == [1 << 30] && p.outputShifts == [1])
        let out = runKernel(input: input, filter: filter, outputCount: 9) {
            depthwiseConv2DReference(p, input: $0, filter: $1, output: &$2)
        }
        #expect(out == [12, 21, 16, 27, 45, 33, 24, 39, 28])
        // With zero point −1 each in-bounds tap adds 1 (corners 4, edges 6, centre 9): padded taps add nothing.
        let shifted = try box3x3(inputZeroPoint: -1)
        let reference = runKernel(input: input, filter: filter, outputCount: 9) {
            depthwiseConv2DReference(shifted, input: $0, filter: $1, output: &$2)
        }
        let optimized = runKernel(input: input, filter: filter, outputCount: 9) {
            depthwiseConv2DOptimized(shifted, input: $0, filter: $1, output: &$2)
        }
        #expect(reference == [16, 27, 20, 33, 54, 39, 28, 45, 32])
        #expect(optimized == reference)
    }

    @Test func depthMultiplierMapsOutputChannelsToInputChannels() throws {
        let filter: [Int8] = [1, 2, 3, 4]
        let p = try DepthwiseConv2DParameters(
            inputShape: Shape4(batch: 1, height: 1, width: 1, depth: 2),
            filterShape: Shape4(batch: 1, height: 1, width: 1, depth: 4),
            outputShape: Shape4(batch: 1, height: 1, width: 1, depth: 4),
            strideHeight: 1, strideWidth: 1, depthMultiplier: 2, padding: .valid, activation: .none,
            inputScale: 1, inputZeroPoint: 0, filterScales: [1, 1, 1, 1], outputScale: 1, outputZeroPoint: 0,
            filter: filter.span, bias: [0, 0, 0, 100])
        let reference = runKernel(input: [3, -2], filter: filter, outputCount: 4) {
            depthwiseConv2DReference(p, input: $0, filter: $1, output: &$2)
        }
        let optimized = runKernel(input: [3, -2], filter: filter, outputCount: 4) {
            depthwiseConv2DOptimized(p, input: $0, filter: $1, output: &$2)
        }
        #expect(reference == [3, 6, -6, 92])
        #expect(optimized == reference)
    }

    func make(
        filterDepth: Int = 8, depthMultiplier: Int = 2, output: Shape4 = Shape4(batch: 1, height: 4, width: 4, depth: 8)
    ) throws(KernelError) -> DepthwiseConv2DParameters {
        let filter = [Int8](repeating: 1, count: 9 * filterDepth)
        return try DepthwiseConv2DParameters(
            inputShape: Shape4(batch: 1, height: 4, width: 4, depth: 4),
            filterShape: Shape4(batch: 1, height: 3, width: 3, depth: filterDepth), outputShape: output,
            strideHeight: 1, strideWidth: 1, depthMultiplier: depthMultiplier, padding: .same, activation: .relu,
            inputScale: 0.1, inputZeroPoint: 0, filterScales: [0.1], outputScale: 0.1, outputZeroPoint: 0,
            filter: filter.span, bias: nil)
    }

    @Test func prepareRejectsInconsistentNodes() throws {
        _ = try make()
        #expect(throws: KernelError.shapeMismatch(tensor: .filter, expected: [1, 3, 3, 12], actual: [1, 3, 3, 8])) {
            try make(depthMultiplier: 3)
        }
        #expect(throws: KernelError.unsupportedParameter(.depthMultiplier, value: 0)) { try make(depthMultiplier: 0) }
        #expect(throws: KernelError.shapeMismatch(tensor: .output(0), expected: [1, 4, 4, 8], actual: [1, 2, 2, 8])) {
            try make(output: Shape4(batch: 1, height: 2, width: 2, depth: 8))
        }
    }

    /// Both optimized paths: the Swift loops, and the C kernel for CPUs with AVX-512 VNNI where this one has it
    /// (``HardwareDotProduct``; elsewhere the second run repeats the first).
    @Test(arguments: [false, true])
    func optimizedEqualsReferenceOnSeededRandomDepthwiseConvolutions(hardwareDotProduct: Bool) throws {
        var rng = SplitMix64(seed: 0xD3_97)
        var tested = 0
        var attempts = 0
        while tested < 120 && attempts < 2000 {
            attempts += 1
            let kh = rng.int(in: 1...5)
            let kw = rng.int(in: 1...5)
            // Multipliers 2–3 and 5 take the lane-by-lane path, 8 and 16 the broadcast one (person_detect's
            // first layer is 1 → 8 channels).
            let multiplier = rng.int(in: 0...4) == 0 ? [2, 3, 5, 8, 16][rng.int(in: 0...4)] : 1
            let input = Shape4(
                batch: rng.int(in: 1...2), height: rng.int(in: 1...10), width: rng.int(in: 1...16),
                depth: rng.int(in: 1...(multiplier >= 8 ? 5 : 40)))
            let strideH = rng.int(in: 1...3)
            let strideW = rng.bool() ? strideH : rng.int(in: 1...3)
            let dilation = rng.int(in: 0...5) == 0 ? 2 : 1
            let padding: Padding = rng.bool() ? .same : .valid
            let outH = computeOutputSize(
                padding: padding, imageSize: input.height, filterSize: kh, stride: strideH, dilation: dilation)
            let outW = computeOutputSize(
                padding: padding, imageSize: input.width, filterSize: kw, stride: strideW, dilation: dilation)
            if outH < 1 || outW < 1 { continue }
            let outDepth = input.depth * multiplier
            let filterShape = Shape4(batch: 1, height: kh, width: kw, depth: outDepth)
            let output = Shape4(batch: input.batch, height: outH, width: outW, depth: outDepth)
            let filter = rng.int8Array(count: filterShape.elementCount)
            let perChannel = rng.bool()
            let scales = (0..<(perChannel ? outDepth : 1)).map { _ in rng.float(in: 0.0005...0.08) }
            // Sometimes tiny output scales (left shifts) or huge ones (right shifts near 31).
            let outputScale: Float
            switch rng.int(in: 0...5) {
            case 0: outputScale = rng.float(in: 0.000_02...0.000_2)
            case 1: outputScale = rng.float(in: 50...5000)
            default: outputScale = rng.float(in: 0.01...0.3)
            }
            let p = try DepthwiseConv2DParameters(
                inputShape: input, filterShape: filterShape, outputShape: output, strideHeight: strideH,
                strideWidth: strideW, dilationHeight: dilation, dilationWidth: dilation, depthMultiplier: multiplier,
                padding: padding, activation: rng.activation(), inputScale: rng.float(in: 0.005...0.1),
                inputZeroPoint: rng.zeroPoint(), filterScales: scales, outputScale: outputScale,
                outputZeroPoint: rng.zeroPoint(), filter: filter.span,
                bias: rng.bool() ? rng.int32Array(count: outDepth, in: -20000...20000) : nil,
                hardwareDotProduct: hardwareDotProduct)
            let data = rng.int8Array(count: input.elementCount)
            let reference = runKernel(input: data, filter: filter, outputCount: output.elementCount) {
                depthwiseConv2DReference(p, input: $0, filter: $1, output: &$2)
            }
            let optimized = runKernel(input: data, filter: filter, outputCount: output.elementCount) {
                depthwiseConv2DOptimized(p, input: $0, filter: $1, output: &$2)
            }
            #expect(optimized == reference, "case \(tested): in \(input) filter \(filterShape)")
            tested += 1
        }
        #expect(tested >= 50)
    }
}
