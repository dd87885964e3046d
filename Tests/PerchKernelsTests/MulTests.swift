import PerchKernels
import Testing

@Suite struct MulTests {
    @Test func unitScalesMultiplyExactlyAndSaturate() throws {
        // s1 · s2 / s_out = 1 → multiplier (2^30, shift 1): MultiplyByQuantizedMultiplier(xy) == xy.
        let p = try MulParameters(
            input1Shape: [4], input1Scale: 1, input1ZeroPoint: 0, input2Shape: [4], input2Scale: 1,
            input2ZeroPoint: 0, outputShape: [4], outputScale: 1, outputZeroPoint: 0)
        #expect(p.outputMultiplier == QuantizedMultiplier(multiplier: 1 << 30, shift: 1))
        let out = runKernel(input: [3, -4, 20, -20], filter: [5, 6, 7, 7], outputCount: 4) {
            mulReference(p, input1: $0, input2: $1, output: &$2)
        }
        #expect(out == [15, -24, 127, -128])
    }

    @Test func zeroPointsAreSubtractedBeforeMultiplying() throws {
        // (x − 2)·(y + 1) · 0.5 + 3 with 0.5 = 1 · 0.5 / 1; ties of the rounding go toward +∞.
        let p = try MulParameters(
            input1Shape: [1, 3], input1Scale: 1, input1ZeroPoint: 2, input2Shape: [1], input2Scale: 0.5,
            input2ZeroPoint: -1, outputShape: [1, 3], outputScale: 1, outputZeroPoint: 3)
        let out = runKernel(input: [5, 2, -1], filter: [2], outputCount: 3) {
            mulReference(p, input1: $0, input2: $1, output: &$2)
        }
        // (3·3)/2 = 4.5 → 5, 0 → 0, (−3·3)/2 = −4.5 → −4; then + 3.
        #expect(out == [8, 3, -1])
    }

    @Test func rejectsInconsistentShapes() {
        #expect(throws: KernelError.shapeMismatch(tensor: .output(0), expected: [2, 2], actual: [4])) {
            try MulParameters(
                input1Shape: [2, 2], input1Scale: 1, input1ZeroPoint: 0, input2Shape: [2], input2Scale: 1,
                input2ZeroPoint: 0, outputShape: [4], outputScale: 1, outputZeroPoint: 0)
        }
        #expect(throws: KernelError.shapeMismatch(tensor: .input(1), expected: [3], actual: [2])) {
            try MulParameters(
                input1Shape: [3], input1Scale: 1, input1ZeroPoint: 0, input2Shape: [2], input2Scale: 1,
                input2ZeroPoint: 0, outputShape: [3], outputScale: 1, outputZeroPoint: 0)
        }
    }

    /// Expected outputs recorded from TFLite Micro's reference kernels (PyPI `tflite-micro`
    /// 0.dev20261023182759, one-op int8 models built for each case, numpy seed 1001).
    @Test func matchesTFLiteMicroReferenceOutputs() throws {
        do {
            let p = try MulParameters(
                input1Shape: [1, 3], input1Scale: 0.07459176, input1ZeroPoint: 123, input2Shape: [3, 4, 1, 3],
                input2Scale: 0.008698084, input2ZeroPoint: -56, outputShape: [3, 4, 1, 3],
                outputScale: 0.046598732, outputZeroPoint: -36, activation: .relu)
            let input1: [Int8] = [-50, 20, 66]
            let input2: [Int8] = [
                -34, 34, 107, -43, 2, -6, -111, -112, 27, -47, 33, 38, 115, 105, 0, -77, 89, 105, 102, 45, -42, -48,
                -100, -60, -85, -5, 56, 53, -69, -97, 82, 116, 6, 118, -50, 127,
            ]
            let output = runKernel(input: input1, filter: input2, outputCount: 36) {
                mulReference(p, input1: $0, input2: $1, output: &$2)
            }
            let expected: [Int8] = [
                -36, -36, -36, -36, -36, -36, 96, 44, -36, -36, -36, -36, -36, -36, -36, 15, -36, -36, -36, -36, -36,
                -36, 27, -33, 34, -36, -36, -36, -17, -3, -36, -36, -36, -36, -36, -36,
            ]
            #expect(output == expected)
        }
        do {
            let p = try MulParameters(
                input1Shape: [3, 4], input1Scale: 0.013503167, input1ZeroPoint: 121, input2Shape: [3, 4],
                input2Scale: 0.0050571174, input2ZeroPoint: -26, outputShape: [3, 4], outputScale: 0.0055297394,
                outputZeroPoint: 75, activation: .reluN1To1)
            let input1: [Int8] = [-54, 18, 73, -100, 82, 72, -44, -76, 112, -52, -111, 115]
            let input2: [Int8] = [-3, -23, 41, 83, -90, 115, -7, -38, 43, -61, 126, -70]
            let output = runKernel(input: input1, filter: input2, outputCount: 12) {
                mulReference(p, input1: $0, input2: $1, output: &$2)
            }
            let expected: [Int8] = [25, 71, 35, -106, 106, -10, 36, 104, 67, 127, -106, 78]
            #expect(output == expected)
        }
        do {
            let p = try MulParameters(
                input1Shape: [2, 1, 3, 4], input1Scale: 0.04608558, input1ZeroPoint: -88, input2Shape: [1, 3, 4],
                input2Scale: 0.051353287, input2ZeroPoint: 24, outputShape: [2, 1, 3, 4], outputScale: 0.78398293,
                outputZeroPoint: 62, activation: .relu6)
            let input1: [Int8] = [
                20, 5, -68, -122, 59, -80, 110, 21, -121, -64, 71, -100, -86, -50, 102, -110, 56, -114, 86, -63, -75,
                -35, 39, -9,
            ]
            let input2: [Int8] = [-13, 103, -79, 9, 35, -4, 82, -97, 64, 6, -96, -36]
            let output = runKernel(input: input1, filter: input2, outputCount: 24) {
                mulReference(p, input1: $0, input2: $1, output: &$2)
            }
            let expected: [Int8] = [
                62, 70, 62, 64, 67, 62, 70, 62, 62, 62, 62, 64, 62, 70, 62, 63, 67, 64, 70, 62, 64, 62, 62, 62,
            ]
            #expect(output == expected)
        }
        do {
            let p = try MulParameters(
                input1Shape: [3, 1, 3, 3], input1Scale: 0.014916448, input1ZeroPoint: -96, input2Shape: [3, 3],
                input2Scale: 0.048612777, input2ZeroPoint: -16, outputShape: [3, 1, 3, 3], outputScale: 0.12937354,
                outputZeroPoint: -44, activation: .reluN1To1)
            let input1: [Int8] = [
                -79, 40, 12, 37, -29, 68, 36, 47, 108, -104, -29, -7, -69, 16, 92, -123, 98, -109, -113, 13, -106,
                -98, -1, 73, 27, 23, -61,
            ]
            let input2: [Int8] = [-116, -59, 58, 27, -50, -47, -77, 71, -115]
            let output = runKernel(input: input1, filter: input2, outputCount: 27) {
                mulReference(p, input1: $0, input2: $1, output: &$2)
            }
            let expected: [Int8] = [
                -52, -52, -36, -36, -52, -52, -52, -36, -52, -40, -52, -36, -37, -52, -52, -36, -36, -37, -36, -52,
                -48, -44, -52, -52, -52, -36, -52,
            ]
            #expect(output == expected)
        }
    }
}
