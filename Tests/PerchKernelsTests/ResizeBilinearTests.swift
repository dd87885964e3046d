import PerchKernels
import Testing

@Suite struct ResizeBilinearTests {
    @Test func upsamplesARowInTenBitFixedPoint() throws {
        // Width 2 → 4: scale (2^10 · 2 + 2) / 4 = 512. Column 1 sits halfway: (100 · 2^19 + 2^19) / 2^20
        // truncates to 50; columns 2 and 3 clamp to the last input column.
        let p = try ResizeBilinearParameters(
            inputShape: [1, 1, 2, 1], size: [1, 4], alignCorners: false, halfPixelCenters: false,
            outputShape: [1, 1, 4, 1])
        #expect(p.widthScale == 512 && p.heightScale == 1024)
        let out = runKernel(input: [0, 100], outputCount: 4) { resizeBilinearReference(p, input: $0, output: &$1) }
        #expect(out == [0, 50, 100, 100])
    }

    @Test func alignCornersHitsBothEnds() throws {
        // Width 2 → 3 with align_corners: scale (2^10 · 1 + 1) / 2 = 512, so the ends are exact.
        let p = try ResizeBilinearParameters(
            inputShape: [1, 1, 2, 1], size: [1, 3], alignCorners: true, halfPixelCenters: false,
            outputShape: [1, 1, 3, 1])
        let out = runKernel(input: [-100, 100], outputCount: 3) { resizeBilinearReference(p, input: $0, output: &$1) }
        #expect(out == [-100, 0, 100])
    }

    @Test func rejectsContradictoryFlagsAndShapes() {
        #expect(throws: KernelError.unsupportedParameter(.alignCorners, value: 1)) {
            try ResizeBilinearParameters(
                inputShape: [1, 2, 2, 1], size: [4, 4], alignCorners: true, halfPixelCenters: true,
                outputShape: [1, 4, 4, 1])
        }
        #expect(throws: KernelError.rankMismatch(tensor: .input(0), expected: 4, actual: 3)) {
            try ResizeBilinearParameters(
                inputShape: [2, 2, 1], size: [4, 4], alignCorners: false, halfPixelCenters: false,
                outputShape: [4, 4, 1])
        }
        #expect(throws: KernelError.shapeMismatch(tensor: .output(0), expected: [1, 4, 4, 1], actual: [1, 4, 3, 1])) {
            try ResizeBilinearParameters(
                inputShape: [1, 2, 2, 1], size: [4, 4], alignCorners: false, halfPixelCenters: false,
                outputShape: [1, 4, 3, 1])
        }
    }

    /// Expected outputs recorded from TFLite Micro's reference kernels (PyPI `tflite-micro`
    /// 0.dev20261023182759, one-op int8 models built for each case, numpy seed 1011).
    @Test func matchesTFLiteMicroReferenceOutputs() throws {
        do {
            let p = try ResizeBilinearParameters(
                inputShape: [1, 2, 1, 2], size: [4, 2], alignCorners: true, halfPixelCenters: false,
                outputShape: [1, 4, 2, 2])
            let input: [Int8] = [51, 1, -128, -107]
            let output = runKernel(input: input, outputCount: 16) { resizeBilinearReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [51, 1, 51, 1, -9, -35, -9, -35, -68, -71, -68, -71, -128, -107, -128, -107]
            #expect(output == expected)
        }
        do {
            let p = try ResizeBilinearParameters(
                inputShape: [1, 4, 4, 2], size: [1, 6], alignCorners: false, halfPixelCenters: true,
                outputShape: [1, 1, 6, 2])
            let input: [Int8] = [
                61, 74, -53, -114, -127, 16, -15, -34, 61, 46, -104, -6, 2, 8, -37, -123, -17, 58, 71, 42, -75, 37,
                -110, 29, -111, -69, -6, -87, -82, 33, -18, 1,
            ]
            let output = runKernel(input: input, outputCount: 12) { resizeBilinearReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [22, 52, 3, 35, -20, 19, -33, 22, -55, -12, -74, -47]
            #expect(output == expected)
        }
        do {
            let p = try ResizeBilinearParameters(
                inputShape: [1, 3, 5, 1], size: [2, 3], alignCorners: false, halfPixelCenters: true,
                outputShape: [1, 2, 3, 1])
            let input: [Int8] = [-76, -84, 4, 81, 125, -39, 68, 93, -116, -66, 107, 125, -113, 48, -57]
            let output = runKernel(input: input, outputCount: 6) { resizeBilinearReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [-60, 26, 62, 84, -62, -37]
            #expect(output == expected)
        }
        do {
            let p = try ResizeBilinearParameters(
                inputShape: [2, 1, 1, 1], size: [2, 1], alignCorners: true, halfPixelCenters: false,
                outputShape: [2, 2, 1, 1])
            let input: [Int8] = [-37, 94]
            let output = runKernel(input: input, outputCount: 4) { resizeBilinearReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [-37, -37, 94, 94]
            #expect(output == expected)
        }
    }
}
