import PerchKernels
import Testing

@Suite struct AddTests {
    /// With every scale 1 and zero points 0, TFLite's ADD rescaling is exact: each input becomes
    /// `x << 19` (multiplier 1/2), and the output multiplier `2 / 2^20` turns the sum back into `x + y`.
    func unitScaleParameters(_ shape1: [Int], _ shape2: [Int], _ output: [Int], _ activation: FusedActivation = .none)
        throws -> AddParameters
    {
        try AddParameters(
            input1Shape: shape1, input1Scale: 1, input1ZeroPoint: 0,
            input2Shape: shape2, input2Scale: 1, input2ZeroPoint: 0,
            outputShape: output, outputScale: 1, outputZeroPoint: 0, activation: activation)
    }

    @Test func unitScalesAddExactlyAndSaturate() throws {
        let p = try unitScaleParameters([4], [4], [4])
        #expect(p.leftShift == 20)
        #expect(p.input1Multiplier == QuantizedMultiplier(multiplier: 1 << 30, shift: 0))
        #expect(p.outputMultiplier == QuantizedMultiplier(multiplier: 1 << 30, shift: -18))
        let out = runKernel(input: [1, 100, -100, 127], filter: [2, 100, -100, -127], outputCount: 4) {
            addReference(p, input1: $0, input2: $1, output: &$2)
        }
        #expect(out == [3, 127, -128, 0])
        let relu = try unitScaleParameters([4], [4], [4], .relu)
        let clamped = runKernel(input: [1, 100, -100, 127], filter: [2, 100, -100, -127], outputCount: 4) {
            addReference(relu, input1: $0, input2: $1, output: &$2)
        }
        #expect(clamped == [3, 127, 0, 0])
    }

    @Test func broadcastsAColumnAgainstARow() throws {
        // [2, 1] + [3] → [2, 3]: out[i][j] = a[i] + b[j].
        let p = try unitScaleParameters([2, 1], [3], [2, 3])
        #expect(p.outputShape == [2, 3])
        let reference = runKernel(input: [10, 20], filter: [1, 2, 3], outputCount: 6) {
            addReference(p, input1: $0, input2: $1, output: &$2)
        }
        let optimized = runKernel(input: [10, 20], filter: [1, 2, 3], outputCount: 6) {
            addOptimized(p, input1: $0, input2: $1, output: &$2)
        }
        #expect(reference == [11, 12, 13, 21, 22, 23])
        #expect(optimized == reference)
    }

    @Test func rejectsInconsistentShapesAndQuantization() {
        #expect(throws: KernelError.shapeMismatch(tensor: .input(1), expected: [2, 3], actual: [2, 4])) {
            try unitScaleParameters([2, 3], [2, 4], [2, 4])
        }
        #expect(throws: KernelError.shapeMismatch(tensor: .output(0), expected: [2, 3], actual: [1, 2, 3])) {
            try unitScaleParameters([2, 3], [3], [1, 2, 3])
        }
        #expect(throws: KernelError.rankMismatch(tensor: .input(0), expected: 6, actual: 7)) {
            try unitScaleParameters([1, 1, 1, 1, 1, 1, 2], [2], [1, 1, 1, 1, 1, 1, 2])
        }
        #expect(throws: KernelError.unsupportedQuantization(tensor: .input(1))) {
            try AddParameters(
                input1Shape: [2], input1Scale: 1, input1ZeroPoint: 0, input2Shape: [2], input2Scale: 0,
                input2ZeroPoint: 0, outputShape: [2], outputScale: 1, outputZeroPoint: 0)
        }
        // A real output multiplier ≥ 1 (output scale tiny against the inputs) fails TFLite's CHECK.
        #expect(throws: KernelError.unsupportedQuantization(tensor: .output(0))) {
            try AddParameters(
                input1Shape: [2], input1Scale: 1, input1ZeroPoint: 0, input2Shape: [2], input2Scale: 1,
                input2ZeroPoint: 0, outputShape: [2], outputScale: 1e-7, outputZeroPoint: 0)
        }
    }

    @Test func optimizedEqualsReferenceOnSeededRandomCases() throws {
        var rng = SplitMix64(seed: 0xADD)
        for _ in 0..<200 {
            let rank = rng.int(in: 1...6)
            var output: [Int] = []
            for _ in 0..<rank { output.append(rng.int(in: 1...4)) }
            // Input 1 keeps the full rank; input 2 may drop leading axes; either may broadcast.
            let shape1 = output.map { rng.int(in: 0...3) == 0 ? 1 : $0 }
            var shape2 = output.map { rng.int(in: 0...3) == 0 ? 1 : $0 }
            shape2.removeFirst(rng.int(in: 0...(rank - 1)))
            let padded2 = [Int](repeating: 1, count: rank - shape2.count) + shape2
            let broadcastOutput = zip(shape1, padded2).map { max($0, $1) }
            let p = try AddParameters(
                input1Shape: shape1, input1Scale: rng.float(in: 0.002...0.2), input1ZeroPoint: rng.zeroPoint(),
                input2Shape: shape2, input2Scale: rng.float(in: 0.002...0.2), input2ZeroPoint: rng.zeroPoint(),
                outputShape: broadcastOutput, outputScale: rng.float(in: 0.004...0.3), outputZeroPoint: rng.zeroPoint(),
                activation: rng.activation())
            let input1 = rng.int8Array(count: p.inputElementCounts.0)
            let input2 = rng.int8Array(count: p.inputElementCounts.1)
            let reference = runKernel(input: input1, filter: input2, outputCount: p.outputElementCount) {
                addReference(p, input1: $0, input2: $1, output: &$2)
            }
            let optimized = runKernel(input: input1, filter: input2, outputCount: p.outputElementCount) {
                addOptimized(p, input1: $0, input2: $1, output: &$2)
            }
            #expect(optimized == reference)
        }
    }

    @Test func sameShapeOptimizedEqualsReferenceIncludingTailsAndExtremeScales() throws {
        var rng = SplitMix64(seed: 0xADD8)
        for index in 0..<150 {
            // Lengths 1…70 cover the eight-lane loop and every tail; every tenth case has scales far apart
            // (input multipliers with shifts beyond 31 bits keep the scalar path).
            let count = rng.int(in: 1...70)
            let extreme = index % 10 == 0
            let p = try AddParameters(
                input1Shape: [1, count], input1Scale: extreme ? 1e-12 : rng.float(in: 0.002...0.2),
                input1ZeroPoint: rng.zeroPoint(), input2Shape: [1, count],
                input2Scale: rng.float(in: 0.002...0.2), input2ZeroPoint: rng.zeroPoint(), outputShape: [1, count],
                outputScale: rng.float(in: 0.004...0.3), outputZeroPoint: rng.zeroPoint(), activation: rng.activation())
            let input1 = rng.int8Array(count: count)
            let input2 = rng.int8Array(count: count)
            let reference = runKernel(input: input1, filter: input2, outputCount: count) {
                addReference(p, input1: $0, input2: $1, output: &$2)
            }
            let optimized = runKernel(input: input1, filter: input2, outputCount: count) {
                addOptimized(p, input1: $0, input2: $1, output: &$2)
            }
            #expect(optimized == reference, "case \(index): \(count) elements")
        }
    }

    /// Expected outputs recorded from TFLite Micro's reference kernels (PyPI `tflite-micro`
    /// 0.dev20261023182759, one-op int8 models built for each case, numpy seed 1000).
    @Test func matchesTFLiteMicroReferenceOutputs() throws {
        do {
            let p = try AddParameters(
                input1Shape: [3], input1Scale: 0.0070441235, input1ZeroPoint: -1, input2Shape: [3],
                input2Scale: 0.027639454, input2ZeroPoint: -56, outputShape: [3], outputScale: 0.00669197,
                outputZeroPoint: -62, activation: .relu6)
            let input1: [Int8] = [74, 59, 80]
            let input2: [Int8] = [15, -36, -70]
            let output = runKernel(input: input1, filter: input2, outputCount: 3) {
                addReference(p, input1: $0, input2: $1, output: &$2)
            }
            let expected: [Int8] = [127, 84, -35]
            #expect(output == expected)
        }
        do {
            let p = try AddParameters(
                input1Shape: [1], input1Scale: 0.0066589206, input1ZeroPoint: -98, input2Shape: [4],
                input2Scale: 0.18699905, input2ZeroPoint: -57, outputShape: [4], outputScale: 0.050018992,
                outputZeroPoint: -19, activation: .none)
            let input1: [Int8] = [59]
            let input2: [Int8] = [-67, -67, -124, 32]
            let output = runKernel(input: input1, filter: input2, outputCount: 4) {
                addReference(p, input1: $0, input2: $1, output: &$2)
            }
            let expected: [Int8] = [-35, -35, -128, 127]
            #expect(output == expected)
        }
        do {
            let p = try AddParameters(
                input1Shape: [3, 2, 4, 2], input1Scale: 0.0053210114, input1ZeroPoint: 51, input2Shape: [4, 1],
                input2Scale: 0.012679534, input2ZeroPoint: 104, outputShape: [3, 2, 4, 2], outputScale: 0.09080825,
                outputZeroPoint: -90, activation: .relu6)
            let input1: [Int8] = [
                112, 119, -81, -113, 53, 58, 57, -87, 73, 27, -3, -48, 25, -30, -99, -6, 17, -33, 15, -21, 85, 47,
                42, 59, 30, -65, 90, 78, 95, -31, 126, 19, 83, -106, -17, -126, 50, 116, -78, -77, 76, 85, -66, -12,
                120, 19, -38, 16,
            ]
            let input2: [Int8] = [-69, -100, -122, 15]
            let output = runKernel(input: input1, filter: input2, outputCount: 48) {
                addReference(p, input1: $0, input2: $1, output: &$2)
            }
            let expected: [Int8] = [
                -90, -90, -90, -90, -90, -90, -90, -90, -90, -90, -90, -90, -90, -90, -90, -90, -90, -90, -90, -90,
                -90, -90, -90, -90, -90, -90, -90, -90, -90, -90, -90, -90, -90, -90, -90, -90, -90, -90, -90, -90,
                -90, -90, -90, -90, -90, -90, -90, -90,
            ]
            #expect(output == expected)
        }
        do {
            let p = try AddParameters(
                input1Shape: [1, 1, 1, 1, 1], input1Scale: 0.0071923616, input1ZeroPoint: -118,
                input2Shape: [1, 1, 1, 1], input2Scale: 0.010528378, input2ZeroPoint: -81,
                outputShape: [1, 1, 1, 1, 1], outputScale: 0.10024053, outputZeroPoint: -17, activation: .none)
            let input1: [Int8] = [108]
            let input2: [Int8] = [98]
            let output = runKernel(input: input1, filter: input2, outputCount: 1) {
                addReference(p, input1: $0, input2: $1, output: &$2)
            }
            let expected: [Int8] = [18]
            #expect(output == expected)
        }
        do {
            let p = try AddParameters(
                input1Shape: [3, 1, 3, 1], input1Scale: 0.004539244, input1ZeroPoint: -109, input2Shape: [2, 3, 1],
                input2Scale: 0.0039661583, input2ZeroPoint: 47, outputShape: [3, 2, 3, 1],
                outputScale: 0.058613196, outputZeroPoint: 104, activation: .relu)
            let input1: [Int8] = [-45, -128, -115, -25, -77, -73, 91, 18, 99]
            let input2: [Int8] = [-52, 34, -1, -64, 59, -74]
            let output = runKernel(input: input1, filter: input2, outputCount: 18) {
                addReference(p, input1: $0, input2: $1, output: &$2)
            }
            let expected: [Int8] = [
                104, 104, 104, 104, 104, 104, 104, 106, 104, 104, 107, 104, 113, 113, 117, 112, 115, 112,
            ]
            #expect(output == expected)
        }
    }
}
