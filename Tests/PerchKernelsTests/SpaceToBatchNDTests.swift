import PerchKernels
import Testing

@Suite struct SpaceToBatchNDTests {
    @Test func movesBlocksIntoTheBatch() throws {
        // A 2×2 image with a 2×2 block becomes 4 batches of 1×1, in (shiftH, shiftW) order.
        let p = try SpaceToBatchNDParameters(
            inputShape: [1, 2, 2, 1], blockShape: [2, 2], paddings: [0, 0, 0, 0], outputShape: [4, 1, 1, 1],
            outputZeroPoint: 0)
        #expect(
            runKernel(input: [1, 2, 3, 4], outputCount: 4) { spaceToBatchNDReference(p, input: $0, output: &$1) } == [
                1, 2, 3, 4,
            ])
    }

    @Test func padsWithTheOutputZeroPoint() throws {
        // Our contract (see SpaceToBatchNDParameters): padded positions hold the output zero point, as
        // in TFLite's reference kernel; TFLite Micro would write raw 0 there.
        let p = try SpaceToBatchNDParameters(
            inputShape: [1, 1, 1, 1], blockShape: [2, 2], paddings: [1, 0, 1, 0], outputShape: [4, 1, 1, 1],
            outputZeroPoint: -5)
        #expect(
            runKernel(input: [9], outputCount: 4) { spaceToBatchNDReference(p, input: $0, output: &$1) } == [
                -5, -5, -5, 9,
            ])
    }

    @Test func rejectsStaticShapesThatDisagreeWithTheOp() {
        // The converter's dynamic-batch artefact: a batch of 1 where the op produces 4.
        #expect(
            throws: KernelError.shapeMismatch(tensor: .output(0), expected: [4, 10, 10, 4], actual: [1, 10, 10, 4])
        ) {
            try SpaceToBatchNDParameters(
                inputShape: [1, 16, 16, 4], blockShape: [2, 2], paddings: [2, 2, 2, 2], outputShape: [1, 10, 10, 4],
                outputZeroPoint: 0)
        }
        #expect(throws: KernelError.unsupportedParameter(.blockShape, value: 2)) {
            try SpaceToBatchNDParameters(
                inputShape: [1, 3, 2, 1], blockShape: [2, 2], paddings: [0, 0, 0, 0], outputShape: [4, 1, 1, 1],
                outputZeroPoint: 0)
        }
    }

    /// Expected outputs recorded from TFLite Micro's reference kernels (PyPI `tflite-micro`
    /// 0.dev20261023182759, one-op int8 models built for each case, numpy seed 1012).
    @Test func matchesTFLiteMicroReferenceOutputs() throws {
        // TFLite Micro pads with raw 0, so these cases use output zero point 0 (see the contract).
        do {
            let p = try SpaceToBatchNDParameters(
                inputShape: [1, 4, 2, 1], blockShape: [1, 1], paddings: [0, 1, 0, 2], outputShape: [1, 5, 4, 1],
                outputZeroPoint: 0)
            let input: [Int8] = [-49, 29, -5, 3, -66, 57, 40, -93]
            let output = runKernel(input: input, outputCount: 20) { spaceToBatchNDReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [-49, 29, 0, 0, -5, 3, 0, 0, -66, 57, 0, 0, 40, -93, 0, 0, 0, 0, 0, 0]
            #expect(output == expected)
        }
        do {
            let p = try SpaceToBatchNDParameters(
                inputShape: [2, 4, 2], blockShape: [3], paddings: [2, 3], outputShape: [6, 3, 2],
                outputZeroPoint: 0)
            let input: [Int8] = [45, 66, 69, -80, -56, -110, 57, 77, -49, -37, -58, -26, -86, -49, -4, -51]
            let output = runKernel(input: input, outputCount: 36) { spaceToBatchNDReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [
                0, 0, 69, -80, 0, 0, 0, 0, -58, -26, 0, 0, 0, 0, -56, -110, 0, 0, 0, 0, -86, -49, 0, 0, 45, 66, 57,
                77, 0, 0, -49, -37, -4, -51, 0, 0,
            ]
            #expect(output == expected)
        }
        do {
            let p = try SpaceToBatchNDParameters(
                inputShape: [1, 1, 1, 1], blockShape: [1, 3], paddings: [2, 0, 0, 2], outputShape: [3, 3, 1, 1],
                outputZeroPoint: 0)
            let input: [Int8] = [63]
            let output = runKernel(input: input, outputCount: 9) { spaceToBatchNDReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [0, 0, 63, 0, 0, 0, 0, 0, 0]
            #expect(output == expected)
        }
    }
}
