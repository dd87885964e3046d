import PerchKernels
import Testing

@Suite struct QuantizeTests {
    @Test func roundsHalfAwayFromZeroAndClamps() throws {
        // scale 0.5, zp 1: 0.25 / 0.5 = 0.5 → 1 → 2; −0.5 → −1 → 0; 1 → 2 → 3; ±100 clamp; NaN → 0 → 1.
        let p = try QuantizeParameters(inputShape: [6], outputShape: [6], outputScale: 0.5, outputZeroPoint: 1)
        #expect(runQuantize(p, input: [0.25, -0.25, 1, 100, -100, .nan]) == [2, 0, 3, 127, -128, 1])
    }

    @Test func requantizesWithDoubleRounding() throws {
        // in (1, 0) → out (2, 3): multiplier 1/2; 5/2 = 2.5 → 3, −5/2 = −2.5 → −2 (ties toward +∞).
        let p = try RequantizeParameters(
            inputShape: [4], inputScale: 1, inputZeroPoint: 0, outputShape: [4], outputScale: 2, outputZeroPoint: 3)
        let out = runKernel(input: [4, 5, -5, 127], outputCount: 4) { requantizeReference(p, input: $0, output: &$1) }
        #expect(out == [5, 6, 1, 67])
    }

    @Test func rejectsBadShapesAndScales() {
        #expect(throws: KernelError.shapeMismatch(tensor: .output(0), expected: [2], actual: [3])) {
            try QuantizeParameters(inputShape: [2], outputShape: [3], outputScale: 1, outputZeroPoint: 0)
        }
        #expect(throws: KernelError.unsupportedQuantization(tensor: .output(0))) {
            try QuantizeParameters(inputShape: [2], outputShape: [2], outputScale: 0, outputZeroPoint: 0)
        }
        #expect(throws: KernelError.unsupportedQuantization(tensor: .input(0))) {
            try RequantizeParameters(
                inputShape: [2], inputScale: 1, inputZeroPoint: 200, outputShape: [2], outputScale: 1,
                outputZeroPoint: 0)
        }
    }

    /// Expected outputs recorded from TFLite Micro's reference kernels (PyPI `tflite-micro`
    /// 0.dev20261023182759, one-op int8 models built for each case, numpy seed 1014).
    @Test func matchesTFLiteMicroReferenceOutputs() throws {
        do {
            let p = try QuantizeParameters(
                inputShape: [3, 3], outputShape: [3, 3], outputScale: 0.13029481, outputZeroPoint: 21)
            let bits: [UInt32] = [
                0x40334921, 0x3fd68612, 0xc1102123, 0xc08781b1, 0x3fddb114, 0x40f5b2c0, 0x4142ebc9, 0x3f2c3251,
                0x410010ea,
            ]
            let output = runQuantize(p, input: bits.map(Float.init(bitPattern:)))
            let expected: [Int8] = [43, 34, -48, -12, 34, 80, 115, 26, 82]
            #expect(output == expected)
        }
        do {
            let p = try QuantizeParameters(
                inputShape: [2, 3], outputShape: [2, 3], outputScale: 0.0064932466, outputZeroPoint: -71)
            let bits: [UInt32] = [0x3d2ce04f, 0x3dd9d192, 0xbe989c76, 0x3c84fb50, 0x3e75fde9, 0xbe46297e]
            let output = runQuantize(p, input: bits.map(Float.init(bitPattern:)))
            let expected: [Int8] = [-64, -55, -117, -68, -34, -101]
            #expect(output == expected)
        }
        do {
            let p = try QuantizeParameters(
                inputShape: [5], outputShape: [5], outputScale: 0.04070189, outputZeroPoint: 119)
            let bits: [UInt32] = [0x400df7db, 0x403375ca, 0x3fcf1e91, 0x3f6a7160, 0x3f7591da]
            let output = runQuantize(p, input: bits.map(Float.init(bitPattern:)))
            let expected: [Int8] = [127, 127, 127, 127, 127]
            #expect(output == expected)
        }
        do {
            let p = try RequantizeParameters(
                inputShape: [3], inputScale: 0.09778024, inputZeroPoint: -100, outputShape: [3],
                outputScale: 0.0066050314, outputZeroPoint: -71)
            let input: [Int8] = [110, 18, -89]
            let output = runKernel(input: input, outputCount: 3) { requantizeReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [127, 127, 92]
            #expect(output == expected)
        }
        do {
            let p = try RequantizeParameters(
                inputShape: [4, 2, 5], inputScale: 0.0022270288, inputZeroPoint: -73, outputShape: [4, 2, 5],
                outputScale: 0.07694764, outputZeroPoint: 105)
            let input: [Int8] = [
                83, 9, 23, -95, 95, 106, 28, 68, -19, -2, -22, 54, 57, 38, 92, 105, 95, 110, -31, 107, -29, -34,
                -104, 51, 107, -28, 125, 93, 80, -77, -16, -21, 63, 62, -124, 55, -29, -107, 80, 56,
            ]
            let output = runKernel(input: input, outputCount: 40) { requantizeReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [
                110, 107, 108, 104, 110, 110, 108, 109, 107, 107, 106, 109, 109, 108, 110, 110, 110, 110, 106, 110,
                106, 106, 104, 109, 110, 106, 111, 110, 109, 105, 107, 107, 109, 109, 104, 109, 106, 104, 109, 109,
            ]
            #expect(output == expected)
        }
        do {
            let p = try RequantizeParameters(
                inputShape: [2, 5], inputScale: 0.00033582063, inputZeroPoint: -79, outputShape: [2, 5],
                outputScale: 0.0018206585, outputZeroPoint: -109)
            let input: [Int8] = [78, 99, 38, 4, -1, 44, -106, -34, -47, 46]
            let output = runKernel(input: input, outputCount: 10) { requantizeReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [-80, -76, -87, -94, -94, -86, -114, -101, -103, -86]
            #expect(output == expected)
        }
    }
}

/// Runs the float → int8 QUANTIZE reference kernel.
private func runQuantize(_ p: QuantizeParameters, input: [Float]) -> [Int8] {
    var output = [Int8](repeating: 99, count: p.elementCount)
    var outputSpan = output.mutableSpan
    quantizeReference(p, input: input.span, output: &outputSpan)
    _ = consume outputSpan
    return output
}
