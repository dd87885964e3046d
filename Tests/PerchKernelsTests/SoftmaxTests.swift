import PerchKernels
import Testing

@Suite struct SoftmaxTests {
    func parameters(_ shape: [Int], scale: Float, beta: Float = 1) throws -> SoftmaxParameters {
        try SoftmaxParameters(
            inputShape: shape, inputScale: scale, inputZeroPoint: 0, beta: beta,
            outputShape: shape, outputScale: 1.0 / 256.0, outputZeroPoint: -128)
    }

    @Test func uniformRowsSplitProbabilityEvenly() throws {
        // Equal inputs: each exp is 1, the sum is depth, and 1/depth · 256 − 128 is exact.
        let two = try parameters([1, 2], scale: 0.1)
        #expect(runKernel(input: [5, 5], outputCount: 2) { softmaxReference(two, input: $0, output: &$1) } == [0, 0])
        let four = try parameters([2, 4], scale: 0.1)
        let out = runKernel(input: [-7, -7, -7, -7, 100, 100, 100, 100], outputCount: 8) {
            softmaxReference(four, input: $0, output: &$1)
        }
        #expect(out == [Int8](repeating: -64, count: 8))
    }

    @Test func differencesBelowDiffMinGetNothing() throws {
        // scale 0.1: multiplier 0.1 · 2^26 has left shift 23, so diffMin = −⌊31 · 2^26 / 2^23⌋ = −248.
        let p = try parameters([1, 2], scale: 0.1)
        #expect(p.inputLeftShift == 23)
        #expect(p.diffMin == -248)
        // The maximum gets probability 1 (256 − 128, clamped to 127); −255 < −248 gets −128.
        #expect(
            runKernel(input: [127, -128], outputCount: 2) { softmaxReference(p, input: $0, output: &$1) } == [
                127, -128,
            ])
    }

    @Test func requiresTheFixedOutputQuantization() {
        #expect(throws: KernelError.unsupportedQuantization(tensor: .output(0))) {
            try SoftmaxParameters(
                inputShape: [4], inputScale: 0.1, inputZeroPoint: 0, beta: 1, outputShape: [4],
                outputScale: 1.0 / 256.0, outputZeroPoint: 0)
        }
        #expect(throws: KernelError.unsupportedQuantization(tensor: .output(0))) {
            try SoftmaxParameters(
                inputShape: [4], inputScale: 0.1, inputZeroPoint: 0, beta: 1, outputShape: [4],
                outputScale: 1.0 / 255.0, outputZeroPoint: -128)
        }
        #expect(throws: KernelError.shapeMismatch(tensor: .output(0), expected: [4], actual: [1, 4])) {
            try SoftmaxParameters(
                inputShape: [4], inputScale: 0.1, inputZeroPoint: 0, beta: 1, outputShape: [1, 4],
                outputScale: 1.0 / 256.0, outputZeroPoint: -128)
        }
    }

    /// Expected outputs recorded from TFLite Micro's reference kernels (PyPI `tflite-micro`
    /// 0.dev20261023182759, one-op int8 models built for each case, numpy seed 1002).
    @Test func matchesTFLiteMicroReferenceOutputs() throws {
        do {
            let p = try SoftmaxParameters(
                inputShape: [2, 4, 2], inputScale: 0.02703631, inputZeroPoint: -37, beta: 1.0,
                outputShape: [2, 4, 2], outputScale: 0.00390625, outputZeroPoint: -128)
            let input: [Int8] = [-106, 54, 35, 28, -114, 62, 53, -29, 22, -21, -125, 68, 61, -70, -50, -42]
            let output = runKernel(input: input, outputCount: 16) { softmaxReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [-125, 125, 12, -12, -126, 126, 103, -103, 67, -67, -127, 127, 121, -121, -14, 14]
            #expect(output == expected)
        }
        do {
            let p = try SoftmaxParameters(
                inputShape: [4, 4], inputScale: 0.20750645, inputZeroPoint: -128, beta: 100.0, outputShape: [4, 4],
                outputScale: 0.00390625, outputZeroPoint: -128)
            let input: [Int8] = [-7, -80, -106, -109, -23, -111, -55, 121, -34, -116, -124, 79, 125, 53, 113, 42]
            let output = runKernel(input: input, outputCount: 16) { softmaxReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [
                127, -128, -128, -128, -128, -128, -128, 127, -128, -128, -128, 127, 127, -128, -128, -128,
            ]
            #expect(output == expected)
        }
        do {
            let p = try SoftmaxParameters(
                inputShape: [3, 4, 1], inputScale: 0.005373121, inputZeroPoint: -59, beta: 1.0,
                outputShape: [3, 4, 1], outputScale: 0.00390625, outputZeroPoint: -128)
            let input: [Int8] = [-126, 21, 39, -56, -127, 30, -89, -103, -29, 32, -82, 4]
            let output = runKernel(input: input, outputCount: 12) { softmaxReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127]
            #expect(output == expected)
        }
        do {
            let p = try SoftmaxParameters(
                inputShape: [4], inputScale: 0.0062959786, inputZeroPoint: -79, beta: 1.0, outputShape: [4],
                outputScale: 0.00390625, outputZeroPoint: -128)
            let input: [Int8] = [-12, -43, -64, -73]
            let output = runKernel(input: input, outputCount: 4) { softmaxReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [-49, -63, -71, -74]
            #expect(output == expected)
        }
    }
}
