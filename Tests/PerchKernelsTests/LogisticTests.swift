import PerchKernels
import Testing

@Suite struct LogisticTests {
    @Test func centerAndSaturationPoints() throws {
        // scale 0.1: 0.1 · 2^27 has frexp exponent 24, so the radius is ⌊15 · 2^27 / 2^24⌋ = 120.
        let p = try LogisticParameters(
            inputShape: [5], inputScale: 0.1, inputZeroPoint: 0, outputShape: [5], outputScale: 1.0 / 256.0,
            outputZeroPoint: -128)
        #expect(p.inputLeftShift == 24)
        #expect(p.inputRangeRadius == 120)
        // logistic(0) is exactly 1/2 → 128 − 128 = 0; ±radius saturate.
        let out = runKernel(input: [0, 127, -128, 120, -120], outputCount: 5) {
            logisticReference(p, input: $0, output: &$1)
        }
        #expect(out == [0, 127, -128, 127, -128])
        #expect(FixedPoint.logistic(0, integerBits: 4) == 1 << 30)
        #expect(FixedPoint.expOnNegativeValues(0, integerBits: 4) == Int32.max)
    }

    @Test func requiresOutputZeroPointMinus128() {
        #expect(throws: KernelError.unsupportedQuantization(tensor: .output(0))) {
            try LogisticParameters(
                inputShape: [2], inputScale: 0.1, inputZeroPoint: 0, outputShape: [2], outputScale: 1.0 / 256.0,
                outputZeroPoint: 0)
        }
        #expect(throws: KernelError.shapeMismatch(tensor: .output(0), expected: [2], actual: [3])) {
            try LogisticParameters(
                inputShape: [2], inputScale: 0.1, inputZeroPoint: 0, outputShape: [3], outputScale: 1.0 / 256.0,
                outputZeroPoint: -128)
        }
    }

    /// Expected outputs recorded from TFLite Micro's reference kernels (PyPI `tflite-micro`
    /// 0.dev20261023182759, one-op int8 models built for each case, numpy seed 1003).
    @Test func matchesTFLiteMicroReferenceOutputs() throws {
        do {
            let p = try LogisticParameters(
                inputShape: [1, 3], inputScale: 0.01658886, inputZeroPoint: 94, outputShape: [1, 3],
                outputScale: 0.00390625, outputZeroPoint: -128)
            let input: [Int8] = [83, -8, 55]
            let output = runKernel(input: input, outputCount: 3) { logisticReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [-12, -88, -40]
            #expect(output == expected)
        }
        do {
            let p = try LogisticParameters(
                inputShape: [4, 4, 3], inputScale: 0.093002, inputZeroPoint: -92, outputShape: [4, 4, 3],
                outputScale: 0.00390625, outputZeroPoint: -128)
            let input: [Int8] = [
                -97, 113, -100, 57, 67, 106, -69, -74, -18, 100, -90, -41, -105, -80, 86, 33, 5, -21, 120, 24, -105,
                -34, -57, -4, 92, 61, -9, 120, -121, -112, 23, -64, -125, 16, 106, 52, -115, 10, 75, 107, 34, 22, 15,
                -73, 85, 55, 23, -29,
            ]
            let output = runKernel(input: input, outputCount: 48) { logisticReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [
                -29, 127, -46, 127, 127, 127, 101, 88, 127, 127, 12, 126, -69, 65, 127, 127, 127, 127, 127, 127, -69,
                127, 118, 127, 127, 127, 127, 127, -112, -94, 127, 110, -117, 127, 127, 127, -101, 127, 127, 127,
                127, 127, 127, 91, 127, 127, 127, 127,
            ]
            #expect(output == expected)
        }
        do {
            let p = try LogisticParameters(
                inputShape: [5], inputScale: 0.0007610424, inputZeroPoint: 24, outputShape: [5],
                outputScale: 0.00390625, outputZeroPoint: -128)
            let input: [Int8] = [104, 74, -104, 117, -99]
            let output = runKernel(input: input, outputCount: 5) { logisticReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [4, 2, -6, 5, -6]
            #expect(output == expected)
        }
        do {
            let p = try LogisticParameters(
                inputShape: [5, 3, 3], inputScale: 0.10023736, inputZeroPoint: -6, outputShape: [5, 3, 3],
                outputScale: 0.00390625, outputZeroPoint: -128)
            let input: [Int8] = [
                -45, -101, -17, 84, -34, 109, -18, 24, -9, -86, -128, -100, 85, -81, -86, -42, 99, -37, -39, 120,
                -75, 34, -18, 50, 105, -43, -100, 54, 119, -59, 7, -65, 21, 76, 65, -107, -62, -66, 93, 26, -82,
                -122, -25, 86, 106,
            ]
            let output = runKernel(input: input, outputCount: 45) { logisticReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [
                -123, -128, -64, 127, -113, 127, -69, 116, -19, -128, -128, -128, 127, -128, -128, -121, 127, -117,
                -119, 127, -128, 123, -69, 127, 127, -122, -128, 127, 127, -127, 73, -127, 112, 127, 127, -128, -127,
                -127, 127, 118, -128, -128, -95, 127, 127,
            ]
            #expect(output == expected)
        }
    }
}
