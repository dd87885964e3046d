import PerchKernels
import Testing

@Suite struct DequantizeTests {
    @Test func multipliesTheOffsetValueByTheScale() throws {
        let p = try DequantizeParameters(inputShape: [4], inputScale: 0.5, inputZeroPoint: -1, outputShape: [4])
        #expect(runDequantize(p, input: [-1, 1, -128, 127]) == [0, 1, -63.5, 64])
    }

    @Test func computesInDoubleThenRoundsOnceToFloat() throws {
        // The product is formed in Double from the Float scale, then rounded once.
        let scale: Float = 0.007843137718737125
        let p = try DequantizeParameters(inputShape: [1], inputScale: scale, inputZeroPoint: 0, outputShape: [1])
        #expect(runDequantize(p, input: [-117]) == [Float(Double(scale) * -117)])
    }

    @Test func rejectsBadQuantizationAndShapes() {
        #expect(throws: KernelError.unsupportedQuantization(tensor: .input(0))) {
            try DequantizeParameters(inputShape: [1], inputScale: 0.5, inputZeroPoint: 200, outputShape: [1])
        }
        #expect(throws: KernelError.shapeMismatch(tensor: .output(0), expected: [1], actual: [2])) {
            try DequantizeParameters(inputShape: [1], inputScale: 0.5, inputZeroPoint: 0, outputShape: [2])
        }
    }

    /// Expected outputs recorded from TFLite Micro's reference kernels (PyPI `tflite-micro`
    /// 0.dev20261023182759, one-op int8 models built for each case, numpy seed 1015).
    @Test func matchesTFLiteMicroReferenceOutputs() throws {
        do {
            let p = try DequantizeParameters(
                inputShape: [2, 2], inputScale: 0.044340774, inputZeroPoint: 27, outputShape: [2, 2])
            let input: [Int8] = [-4, -76, -3, -31]
            let output = runDequantize(p, input: input).map(\.bitPattern)
            let expected: [UInt32] = [0xbfaff1b7, 0xc09225ae, 0xbfaa44c1, 0xc02497cc]
            #expect(output == expected)
        }
        do {
            let p = try DequantizeParameters(
                inputShape: [5], inputScale: 0.0055529107, inputZeroPoint: -121, outputShape: [5])
            let input: [Int8] = [-106, -66, 96, -87, 54]
            let output = runDequantize(p, input: input).map(\.bitPattern)
            let expected: [UInt32] = [0x3daa95de, 0x3e9c5eb6, 0x3f9a3cd7, 0x3e415484, 0x3f78c539]
            #expect(output == expected)
        }
        do {
            let p = try DequantizeParameters(
                inputShape: [4], inputScale: 0.011146021, inputZeroPoint: 95, outputShape: [4])
            let input: [Int8] = [-54, -115, -111, -45]
            let output = runDequantize(p, input: input).map(\.bitPattern)
            let expected: [UInt32] = [0xbfd493b1, 0xc015cd72, 0xc012f2fb, 0xbfc7bc98]
            #expect(output == expected)
        }
    }
}

/// Runs the int8 → float DEQUANTIZE reference kernel.
private func runDequantize(_ p: DequantizeParameters, input: [Int8]) -> [Float] {
    var output = [Float](repeating: 99, count: p.elementCount)
    var outputSpan = output.mutableSpan
    dequantizeReference(p, input: input.span, output: &outputSpan)
    _ = consume outputSpan
    return output
}
