import PerchKernels
import Testing

@Suite struct FullyConnectedTests {
    @Test func perTensorHandComputedCase() throws {
        // x + offset = [2, −8]; acc = [2 − 16 + 5, −6 − 8] = [−9, −14]; ×0.5 → floor((acc + 1) / 2) = [−4, −7];
        // + output zero point −2.
        let filter: [Int8] = [1, 2, -3, 1]
        let p = try FullyConnectedParameters(
            inputDims: [1, 2], filterDims: [2, 2], outputDims: [1, 2], activation: .none, inputScale: 0.5,
            inputZeroPoint: 1, filterScales: [1], outputScale: 1, outputZeroPoint: -2, filter: filter.span,
            bias: [5, 0])
        #expect(!p.isPerChannel)
        let reference = runKernel(input: [3, -7], filter: filter, outputCount: 2) {
            fullyConnectedReference(p, input: $0, filter: $1, output: &$2)
        }
        let optimized = runKernel(input: [3, -7], filter: filter, outputCount: 2) {
            fullyConnectedOptimized(p, input: $0, filter: $1, output: &$2)
        }
        #expect(reference == [-6, -9])
        #expect(optimized == reference)
    }

    @Test func perTensorMultiplierUsesTheFloatProductOfScales() throws {
        // TFLite's GetQuantizedConvolutionMultipler multiplies input and filter scale in float.
        let outputScale: Float = 0.05
        let output = Double(outputScale)
        var found: (Float, Float)?
        var rng = SplitMix64(seed: 7)
        for _ in 0..<1000 {
            let a = rng.float(in: 0.001...0.1)
            let b = rng.float(in: 0.001...0.1)
            if QuantizedMultiplier(Double(a * b) / output) != QuantizedMultiplier(Double(a) * Double(b) / output) {
                found = (a, b)
                break
            }
        }
        let (inputScale, filterScale) = try #require(found)
        let filter: [Int8] = [1, 2, 3]
        let perTensor = try FullyConnectedParameters(
            inputDims: [1, 3], filterDims: [1, 3], outputDims: [1, 1], activation: .none, inputScale: inputScale,
            inputZeroPoint: 0, filterScales: [filterScale], outputScale: outputScale, outputZeroPoint: 0,
            filter: filter.span, bias: nil)
        let expected = QuantizedMultiplier(Double(inputScale * filterScale) / output)
        #expect(perTensor.outputMultipliers == [expected.multiplier])
        #expect(perTensor.outputShifts == [expected.shift])
    }

    @Test func perChannelMultipliersUseDoubleProducts() throws {
        let filter: [Int8] = [1, 2, 3, 4]
        let p = try FullyConnectedParameters(
            inputDims: [1, 2], filterDims: [2, 2], outputDims: [1, 2], activation: .none, inputScale: 0.1,
            inputZeroPoint: 0, filterScales: [0.3, 0.7], outputScale: 0.05, outputZeroPoint: 0, filter: filter.span,
            bias: nil)
        #expect(p.isPerChannel)
        let first = QuantizedMultiplier(Double(Float(0.1)) * Double(Float(0.3)) / Double(Float(0.05)))
        let second = QuantizedMultiplier(Double(Float(0.1)) * Double(Float(0.7)) / Double(Float(0.05)))
        #expect(p.outputMultipliers == [first.multiplier, second.multiplier])
        #expect(p.outputShifts == [first.shift, second.shift])
    }

    func make(
        input: [Int] = [2, 3, 4], output: [Int] = [6, 5], keepNumDims: Bool = false, filterDims: [Int] = [5, 4],
        filterZeroPoint: Int32 = 0
    ) throws(KernelError) -> FullyConnectedParameters {
        let filter = [Int8](repeating: 1, count: 20)
        return try FullyConnectedParameters(
            inputDims: input, filterDims: filterDims, outputDims: output, keepNumDims: keepNumDims,
            activation: .none, inputScale: 0.1, inputZeroPoint: 0, filterScales: [0.1], filterZeroPoint: filterZeroPoint,
            outputScale: 0.1, outputZeroPoint: 0, filter: filter.span, bias: nil)
    }

    @Test func outputShapeFollowsKeepNumDims() throws {
        let flat = try make()
        #expect(flat.batches == 6 && flat.units == 5 && flat.depth == 4)
        _ = try make(output: [2, 3, 5], keepNumDims: true)
        #expect(throws: KernelError.shapeMismatch(tensor: .output(0), expected: [2, 3, 5], actual: [6, 5])) {
            try make(keepNumDims: true)
        }
        #expect(throws: KernelError.shapeMismatch(tensor: .output(0), expected: [6, 5], actual: [1, 5])) {
            try make(output: [1, 5])
        }
    }

    @Test func prepareRejectsInconsistentNodes() {
        #expect(throws: KernelError.shapeMismatch(tensor: .filter, expected: [5, 5], actual: [5, 4])) {
            try make(input: [1, 5], output: [1, 5])
        }
        #expect(throws: KernelError.unsupportedQuantization(tensor: .filter)) { try make(filterZeroPoint: 3) }
        #expect(throws: KernelError.rankMismatch(tensor: .filter, expected: 2, actual: 3)) {
            try make(filterDims: [1, 5, 4])
        }
    }

    @Test func optimizedEqualsReferenceOnSeededRandomLayers() throws {
        var rng = SplitMix64(seed: 0xFC)
        for index in 0..<80 {
            let batches = rng.int(in: 1...9)
            let depth = rng.int(in: 1...300)
            let units = rng.int(in: 1...40)
            let filter = rng.int8Array(count: units * depth)
            let perChannel = rng.bool()
            let scales = (0..<(perChannel ? units : 1)).map { _ in rng.float(in: 0.0005...0.05) }
            let p = try FullyConnectedParameters(
                inputDims: [batches, depth], filterDims: [units, depth], outputDims: [batches, units],
                activation: rng.activation(), inputScale: rng.float(in: 0.005...0.1), inputZeroPoint: rng.zeroPoint(),
                filterScales: scales, outputScale: rng.float(in: 0.01...0.5), outputZeroPoint: rng.zeroPoint(),
                filter: filter.span, bias: rng.bool() ? rng.int32Array(count: units, in: -30000...30000) : nil)
            let data = rng.int8Array(count: batches * depth)
            let reference = runKernel(input: data, filter: filter, outputCount: batches * units) {
                fullyConnectedReference(p, input: $0, filter: $1, output: &$2)
            }
            let optimized = runKernel(input: data, filter: filter, outputCount: batches * units) {
                fullyConnectedOptimized(p, input: $0, filter: $1, output: &$2)
            }
            #expect(optimized == reference, "case \(index): \(batches)×\(depth) → \(units)")
        }
    }
}
