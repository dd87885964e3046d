import PerchKernels
import Testing

@Suite struct HardSwishTests {
    @Test func zeroAndNegativeSaturationGiveTheOutputZeroPoint() throws {
        // hard_swish(0) = 0 and hard_swish(x ≤ −3) = 0: both are the output zero point exactly.
        let p = try HardSwishParameters(
            inputShape: [3], inputScale: 0.1, inputZeroPoint: 4, outputShape: [3], outputScale: 0.05,
            outputZeroPoint: -7)
        let out = runKernel(input: [4, -100, -128], outputCount: 3) { hardSwishReference(p, input: $0, output: &$1) }
        #expect(out == [-7, -7, -7])
    }

    @Test func multipliersAreRoundedToSixteenBits() throws {
        // hires scale 1/128 · 0.1 over output 0.05 = 1/64 → Q0.31 (2^30, −5) → Q0.15 2^14.
        let p = try HardSwishParameters(
            inputShape: [1], inputScale: 0.1, inputZeroPoint: 0, outputShape: [1], outputScale: 0.05,
            outputZeroPoint: 0)
        #expect(p.outputMultiplier == 1 << 14)
        #expect(p.outputExponent == -5)
    }

    @Test func rejectsAPositiveOutputExponent() {
        // (1/128) / 0.001 ≈ 7.8 needs a left shift, which TFLite Micro's prepare refuses.
        #expect(throws: KernelError.unsupportedQuantization(tensor: .output(0))) {
            try HardSwishParameters(
                inputShape: [1], inputScale: 1, inputZeroPoint: 0, outputShape: [1], outputScale: 0.001,
                outputZeroPoint: 0)
        }
    }

    /// Expected outputs recorded from TFLite Micro's reference kernels (PyPI `tflite-micro`
    /// 0.dev20261023182759, one-op int8 models built for each case, numpy seed 1005).
    @Test func matchesTFLiteMicroReferenceOutputs() throws {
        do {
            let p = try HardSwishParameters(
                inputShape: [1, 5], inputScale: 0.053294677, inputZeroPoint: -55, outputShape: [1, 5],
                outputScale: 0.1790938, outputZeroPoint: -99)
            let input: [Int8] = [-30, -48, -71, 110, 54]
            let output = runKernel(input: input, outputCount: 5) { hardSwishReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [-94, -98, -101, -50, -67]
            #expect(output == expected)
        }
        do {
            let p = try HardSwishParameters(
                inputShape: [2, 1, 4, 3], inputScale: 0.0011969621, inputZeroPoint: 5, outputShape: [2, 1, 4, 3],
                outputScale: 0.021837499, outputZeroPoint: 42)
            let input: [Int8] = [
                113, -19, 19, 55, 45, 123, 1, 55, -90, -47, 53, 35, -40, -5, -118, -41, -7, 92, 103, -46, -4, 72, 80,
                113,
            ]
            let output = runKernel(input: input, outputCount: 24) { hardSwishReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [
                45, 41, 42, 43, 43, 45, 42, 43, 39, 41, 43, 43, 41, 42, 39, 41, 42, 44, 45, 41, 42, 44, 44, 45,
            ]
            #expect(output == expected)
        }
        do {
            let p = try HardSwishParameters(
                inputShape: [3, 3, 5], inputScale: 0.17339419, inputZeroPoint: -29, outputShape: [3, 3, 5],
                outputScale: 0.014435152, outputZeroPoint: -108)
            let input: [Int8] = [
                -96, -59, -113, 20, 54, -107, -25, -74, 13, 113, 39, 98, 116, -72, -128, 113, 11, -10, 41, 6, 33, 0,
                6, -6, -65, -34, 99, -92, 35, -46, -94, 17, -77, 108, -8, 96, -13, 35, 103, -32, -83, 127, -41, -33,
                47,
            ]
            let output = runKernel(input: input, outputCount: 45) { hardSwishReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [
                -108, -108, -108, 127, 127, -108, -78, -108, 127, 127, 127, 127, 127, -108, -108, 127, 127, 120, 127,
                127, 127, 127, 127, 127, -108, -128, 127, -108, 127, -110, -108, 127, -108, 127, 127, 127, 77, 127,
                127, -123, -108, 127, -128, -126, 127,
            ]
            #expect(output == expected)
        }
        do {
            let p = try HardSwishParameters(
                inputShape: [4, 5], inputScale: 0.007011246, inputZeroPoint: 27, outputShape: [4, 5],
                outputScale: 0.17969652, outputZeroPoint: -47)
            let input: [Int8] = [
                -52, 31, 50, 82, 27, -62, 62, -35, 53, -65, -89, -92, 68, 31, 122, -126, 99, 112, -53, -101,
            ]
            let output = runKernel(input: input, outputCount: 20) { hardSwishReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [
                -48, -47, -47, -46, -47, -48, -46, -48, -46, -48, -49, -49, -46, -47, -45, -49, -45, -45, -48, -49,
            ]
            #expect(output == expected)
        }
    }
}
