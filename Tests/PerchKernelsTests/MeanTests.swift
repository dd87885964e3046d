import PerchKernels
import Testing

@Suite struct MeanTests {
    @Test func averagesOverHeightAndWidthRoundingHalfAwayFromZero() throws {
        // Same scale: multiplier 1 = (2^30, 1); count 4 folds in as shift −2: (2^30, −1).
        // Channel 0 sums to 10 (mean 2.5 → 3), channel 1 to −10 (mean −2.5 → −3).
        let p = try MeanParameters(
            inputShape: [1, 2, 2, 2], inputScale: 1, inputZeroPoint: 0, axes: [1, 2], keepDims: true,
            outputShape: [1, 1, 1, 2], outputScale: 1, outputZeroPoint: 0)
        #expect(p.reducedCount == 4)
        #expect(p.multiplier == QuantizedMultiplier(multiplier: 1 << 30, shift: -1))
        let out = runKernel(input: [1, -1, 2, -2, 3, -3, 4, -4], outputCount: 2) {
            meanReference(p, input: $0, output: &$1)
        }
        #expect(out == [3, -3])
    }

    @Test func equalQuantizationStillRoundsAsTFLiteMicroDoes() throws {
        // Regression: TFLite Micro's int8 MEAN rounds (QuantizedMeanOrSum) even when input and
        // output share scale and zero point; a truncating mean would give 23 here, TFLM gives 24.
        let p = try MeanParameters(
            inputShape: [1, 1, 2, 1], inputScale: 0.06560288, inputZeroPoint: -104, axes: [3, 2], keepDims: true,
            outputShape: [1, 1, 1, 1], outputScale: 0.06560288, outputZeroPoint: -104)
        #expect(runKernel(input: [29, 18], outputCount: 1) { meanReference(p, input: $0, output: &$1) } == [24])
    }

    @Test func resolvesNegativeAndDuplicateAxesAndDropsDimensions() throws {
        let p = try MeanParameters(
            inputShape: [2, 3], inputScale: 1, inputZeroPoint: 0, axes: [-1, 1], keepDims: false,
            outputShape: [2], outputScale: 1, outputZeroPoint: 0)
        #expect(p.axes == [1])
        let out = runKernel(input: [1, 2, 3, -6, 0, 0], outputCount: 2) { meanReference(p, input: $0, output: &$1) }
        #expect(out == [2, -2])
    }

    @Test func rejectsBadAxesAndInconsistentOutputShapes() {
        #expect(throws: KernelError.unsupportedParameter(.axis, value: 4)) {
            try MeanParameters(
                inputShape: [1, 2, 2, 1], inputScale: 1, inputZeroPoint: 0, axes: [4], keepDims: true,
                outputShape: [1, 2, 2, 1], outputScale: 1, outputZeroPoint: 0)
        }
        #expect(throws: KernelError.shapeMismatch(tensor: .output(0), expected: [1, 1, 1, 3], actual: [1, 3])) {
            try MeanParameters(
                inputShape: [1, 2, 2, 3], inputScale: 1, inputZeroPoint: 0, axes: [1, 2], keepDims: true,
                outputShape: [1, 3], outputScale: 1, outputZeroPoint: 0)
        }
    }

    /// Expected outputs recorded from TFLite Micro's reference kernels (PyPI `tflite-micro`
    /// 0.dev20261023182759, one-op int8 models built for each case, numpy seed 1007).
    @Test func matchesTFLiteMicroReferenceOutputs() throws {
        do {
            let p = try MeanParameters(
                inputShape: [1], inputScale: 0.006850039, inputZeroPoint: -20, axes: [0], keepDims: false,
                outputShape: [], outputScale: 0.019954184, outputZeroPoint: 22)
            let input: [Int8] = [94]
            let output = runKernel(input: input, outputCount: 1) { meanReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [61]
            #expect(output == expected)
        }
        do {
            let p = try MeanParameters(
                inputShape: [2, 2], inputScale: 0.089663774, inputZeroPoint: 85, axes: [0], keepDims: true,
                outputShape: [1, 2], outputScale: 0.099043325, outputZeroPoint: 15)
            let input: [Int8] = [-97, -100, -72, 21]
            let output = runKernel(input: input, outputCount: 2) { meanReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [-128, -98]
            #expect(output == expected)
        }
        do {
            let p = try MeanParameters(
                inputShape: [3, 1, 3, 4], inputScale: 0.00515715, inputZeroPoint: 56, axes: [2, 0, 1, 3],
                keepDims: true, outputShape: [1, 1, 1, 1], outputScale: 0.006568543, outputZeroPoint: 71)
            let input: [Int8] = [
                107, 42, -66, -37, -102, -99, 58, -112, 47, 82, 71, -77, 41, -114, -34, 19, 99, 61, -78, 108, -125,
                36, -116, 105, 114, -60, -101, 73, 102, 26, -125, -64, -48, 80, -101, 127,
            ]
            let output = runKernel(input: input, outputCount: 1) { meanReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [26]
            #expect(output == expected)
        }
        do {
            let p = try MeanParameters(
                inputShape: [3, 3, 4], inputScale: 0.14382839, inputZeroPoint: -30, axes: [-3, 2, 1],
                keepDims: true, outputShape: [1, 1, 1], outputScale: 0.14382839, outputZeroPoint: -30)
            let input: [Int8] = [
                -92, -103, 65, 33, 59, 119, 22, -24, 91, 57, -88, -105, -120, -11, 112, 84, -59, -50, -98, -102, -5,
                0, -117, 21, 31, 32, -24, -73, 4, 84, -42, -84, -89, 99, 65, -84,
            ]
            let output = runKernel(input: input, outputCount: 1) { meanReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [-11]
            #expect(output == expected)
        }
        do {
            let p = try MeanParameters(
                inputShape: [4, 3, 2, 1], inputScale: 0.00485771, inputZeroPoint: 13, axes: [0, 1], keepDims: true,
                outputShape: [1, 1, 2, 1], outputScale: 0.072395466, outputZeroPoint: -103)
            let input: [Int8] = [
                20, 42, 83, 79, -33, 35, 95, 117, -111, 58, 76, 17, 69, 19, 122, 111, 65, -66, 61, -98, -44, 39,
                -112, 59,
            ]
            let output = runKernel(input: input, outputCount: 2) { meanReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [-102, -102]
            #expect(output == expected)
        }
    }
}
