import PerchKernels
import Testing

@Suite struct LeakyReluTests {
    @Test func halvesNegativeInputsWithTiesTowardPlusInfinity() throws {
        // Scales 1, alpha 0.5: identity multiplier 1, alpha multiplier (2^30, 0). −3/2 = −1.5 → −1
        // (SaturatingRoundingDoublingHighMul's nudge makes ties go toward +∞), −4/2 = −2.
        let p = try LeakyReluParameters(
            inputShape: [4], inputScale: 1, inputZeroPoint: 0, alpha: 0.5, outputShape: [4], outputScale: 1,
            outputZeroPoint: 0)
        #expect(p.alphaMultiplier == QuantizedMultiplier(multiplier: 1 << 30, shift: 0))
        let out = runKernel(input: [5, -3, -4, 0], outputCount: 4) { leakyReluReference(p, input: $0, output: &$1) }
        #expect(out == [5, -1, -2, 0])
    }

    @Test func rejectsNonFiniteAlphaAndBadShapes() {
        #expect(throws: KernelError.unsupportedParameter(.alpha, value: 0)) {
            try LeakyReluParameters(
                inputShape: [1], inputScale: 1, inputZeroPoint: 0, alpha: .infinity, outputShape: [1],
                outputScale: 1, outputZeroPoint: 0)
        }
        #expect(throws: KernelError.shapeMismatch(tensor: .output(0), expected: [1], actual: [2])) {
            try LeakyReluParameters(
                inputShape: [1], inputScale: 1, inputZeroPoint: 0, alpha: 0.1, outputShape: [2],
                outputScale: 1, outputZeroPoint: 0)
        }
    }

    /// Expected outputs recorded from TFLite Micro's reference kernels (PyPI `tflite-micro`
    /// 0.dev20261023182759, one-op int8 models built for each case, numpy seed 1006).
    @Test func matchesTFLiteMicroReferenceOutputs() throws {
        do {
            let p = try LeakyReluParameters(
                inputShape: [2, 1, 4], inputScale: 0.0020609153, inputZeroPoint: 14, alpha: 0.01,
                outputShape: [2, 1, 4], outputScale: 0.008021892, outputZeroPoint: 76)
            let input: [Int8] = [88, -102, -122, 48, -118, 44, -66, -52]
            let output = runKernel(input: input, outputCount: 8) { leakyReluReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [95, 76, 76, 85, 76, 84, 76, 76]
            #expect(output == expected)
        }
        do {
            let p = try LeakyReluParameters(
                inputShape: [1, 2], inputScale: 0.015834976, inputZeroPoint: 44, alpha: 1.5, outputShape: [1, 2],
                outputScale: 0.21329077, outputZeroPoint: -106)
            let input: [Int8] = [-84, 69]
            let output = runKernel(input: input, outputCount: 2) { leakyReluReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [-120, -104]
            #expect(output == expected)
        }
        do {
            let p = try LeakyReluParameters(
                inputShape: [1, 5], inputScale: 0.00035273953, inputZeroPoint: 75, alpha: -0.5,
                outputShape: [1, 5], outputScale: 0.011925821, outputZeroPoint: 96)
            let input: [Int8] = [-113, 98, -118, -9, 61]
            let output = runKernel(input: input, outputCount: 5) { leakyReluReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [99, 97, 99, 97, 96]
            #expect(output == expected)
        }
        do {
            let p = try LeakyReluParameters(
                inputShape: [3, 5], inputScale: 0.3504626, inputZeroPoint: 74, alpha: 0.3, outputShape: [3, 5],
                outputScale: 0.02184364, outputZeroPoint: 33)
            let input: [Int8] = [-126, 68, 22, 120, -62, -101, 98, 81, 62, -44, 94, -93, -39, -115, -65]
            let output = runKernel(input: input, outputCount: 15) { leakyReluReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [-128, 4, -128, 127, -128, -128, 127, 127, -25, -128, 127, -128, -128, -128, -128]
            #expect(output == expected)
        }
    }
}
