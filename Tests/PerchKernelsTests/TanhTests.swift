import PerchKernels
import Testing

@Suite struct TanhTests {
    @Test func zeroAndSaturationPoints() throws {
        // Same input rescaling as LOGISTIC: scale 0.1 gives left shift 24 and radius 120.
        let p = try TanhParameters(
            inputShape: [5], inputScale: 0.1, inputZeroPoint: 3, outputShape: [5], outputScale: 1.0 / 128.0,
            outputZeroPoint: 0)
        #expect(p.inputRangeRadius == 120)
        let out = runKernel(input: [3, 127, -128, 123, -117], outputCount: 5) {
            tanhReference(p, input: $0, output: &$1)
        }
        #expect(out == [0, 127, -128, 127, -128])
        #expect(FixedPoint.tanh(0, integerBits: 4) == 0)
    }

    @Test func isMonotoneOverTheWholeInt8Range() throws {
        let p = try TanhParameters(
            inputShape: [256], inputScale: 0.03, inputZeroPoint: 0, outputShape: [256], outputScale: 1.0 / 128.0,
            outputZeroPoint: 0)
        let input = (-128...127).map { Int8($0) }
        let out = runKernel(input: input, outputCount: 256) { tanhReference(p, input: $0, output: &$1) }
        #expect(zip(out, out.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(out[128] == 0)
    }

    @Test func rejectsInconsistentShapes() {
        #expect(throws: KernelError.shapeMismatch(tensor: .output(0), expected: [2], actual: [1, 2])) {
            try TanhParameters(
                inputShape: [2], inputScale: 0.1, inputZeroPoint: 0, outputShape: [1, 2], outputScale: 1.0 / 128.0,
                outputZeroPoint: 0)
        }
    }

    /// Expected outputs recorded from TFLite Micro's reference kernels (PyPI `tflite-micro`
    /// 0.dev20261023182759, one-op int8 models built for each case, numpy seed 1004).
    @Test func matchesTFLiteMicroReferenceOutputs() throws {
        do {
            let p = try TanhParameters(
                inputShape: [1, 1, 1], inputScale: 0.0065784166, inputZeroPoint: -93, outputShape: [1, 1, 1],
                outputScale: 0.0078125, outputZeroPoint: 0)
            let input: [Int8] = [90]
            let output = runKernel(input: input, outputCount: 1) { tanhReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [107]
            #expect(output == expected)
        }
        do {
            let p = try TanhParameters(
                inputShape: [4, 5], inputScale: 0.00277504, inputZeroPoint: -21, outputShape: [4, 5],
                outputScale: 0.0078125, outputZeroPoint: 0)
            let input: [Int8] = [
                -83, 54, -53, 86, -35, -112, -46, -12, -104, -60, -96, -96, -116, 27, 53, 81, -100, -26, -5, 15,
            ]
            let output = runKernel(input: input, outputCount: 20) { tanhReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [
                -22, 26, -11, 37, -5, -32, -9, 3, -29, -14, -26, -26, -33, 17, 26, 35, -28, -2, 6, 13,
            ]
            #expect(output == expected)
        }
        do {
            let p = try TanhParameters(
                inputShape: [5, 4, 1], inputScale: 0.036672503, inputZeroPoint: -77, outputShape: [5, 4, 1],
                outputScale: 0.0078125, outputZeroPoint: 0)
            let input: [Int8] = [
                -85, -47, 25, 67, 40, 15, -57, -65, 87, 0, 77, -27, -54, 51, -29, -3, 124, -122, -64, -46,
            ]
            let output = runKernel(input: input, outputCount: 20) { tanhReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [
                -37, 102, 127, 127, 127, 127, 80, 53, 127, 127, 127, 122, 88, 127, 121, 127, 127, -119, 57, 104,
            ]
            #expect(output == expected)
        }
        do {
            let p = try TanhParameters(
                inputShape: [4, 3, 3, 1], inputScale: 0.37102047, inputZeroPoint: -114, outputShape: [4, 3, 3, 1],
                outputScale: 0.0078125, outputZeroPoint: 0)
            let input: [Int8] = [
                -3, -85, 56, -118, 94, -87, -33, 15, 80, -17, 44, -32, 81, 36, 64, 7, 89, 88, -95, -68, -3, 27, -78,
                -74, 60, -39, 38, -67, -98, 117, 112, -32, 112, 55, 111, 95,
            ]
            let output = runKernel(input: input, outputCount: 36) { tanhReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [
                127, 127, 127, -115, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127,
                127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127,
            ]
            #expect(output == expected)
        }
    }
}
