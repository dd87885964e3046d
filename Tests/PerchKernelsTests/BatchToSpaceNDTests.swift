import PerchKernels
import Testing

@Suite struct BatchToSpaceNDTests {
    @Test func movesTheBatchBackIntoSpace() throws {
        let p = try BatchToSpaceNDParameters(
            inputShape: [4, 1, 1, 1], blockShape: [2, 2], crops: [0, 0, 0, 0], outputShape: [1, 2, 2, 1])
        #expect(
            runKernel(input: [1, 2, 3, 4], outputCount: 4) { batchToSpaceNDReference(p, input: $0, output: &$1) } == [
                1, 2, 3, 4,
            ])
    }

    @Test func cropsTheLeadingRowsAndColumns() throws {
        // 4 batches of 1×1 → a 2×2 image, cropped by one row on top and one column on the left.
        let p = try BatchToSpaceNDParameters(
            inputShape: [4, 1, 1, 1], blockShape: [2, 2], crops: [1, 0, 1, 0], outputShape: [1, 1, 1, 1])
        #expect(
            runKernel(input: [1, 2, 3, 4], outputCount: 1) { batchToSpaceNDReference(p, input: $0, output: &$1) } == [4]
        )
    }

    @Test func rejectsIndivisibleBatchesAndInconsistentShapes() {
        #expect(throws: KernelError.unsupportedParameter(.blockShape, value: 4)) {
            try BatchToSpaceNDParameters(
                inputShape: [2, 1, 1, 1], blockShape: [2, 2], crops: [0, 0, 0, 0], outputShape: [1, 2, 2, 1])
        }
        #expect(throws: KernelError.shapeMismatch(tensor: .output(0), expected: [1, 2, 2, 1], actual: [4, 2, 2, 1])) {
            try BatchToSpaceNDParameters(
                inputShape: [4, 1, 1, 1], blockShape: [2, 2], crops: [0, 0, 0, 0], outputShape: [4, 2, 2, 1])
        }
    }

    /// Expected outputs recorded from TFLite Micro's reference kernels (PyPI `tflite-micro`
    /// 0.dev20261023182759, one-op int8 models built for each case, numpy seed 1013).
    @Test func matchesTFLiteMicroReferenceOutputs() throws {
        do {
            let p = try BatchToSpaceNDParameters(
                inputShape: [2, 3, 3, 1], blockShape: [1, 1], crops: [1, 0, 1, 1], outputShape: [2, 2, 1, 1])
            let input: [Int8] = [-80, -95, 98, 17, 85, -6, 97, -9, -73, -14, -11, 67, 83, -65, 5, -17, 37, 36]
            let output = runKernel(input: input, outputCount: 4) { batchToSpaceNDReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [85, -9, -65, 37]
            #expect(output == expected)
        }
        do {
            let p = try BatchToSpaceNDParameters(
                inputShape: [2, 2, 3, 2], blockShape: [2, 1], crops: [0, 1, 1, 1], outputShape: [1, 3, 1, 2])
            let input: [Int8] = [
                -90, 75, 1, 24, 26, 20, 97, 114, -24, 66, 85, -72, -4, -4, 124, -95, 80, 48, 113, 54, -125, -21, 95,
                35,
            ]
            let output = runKernel(input: input, outputCount: 6) { batchToSpaceNDReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [1, 24, 124, -95, -24, 66]
            #expect(output == expected)
        }
        do {
            let p = try BatchToSpaceNDParameters(
                inputShape: [4, 2, 3, 1], blockShape: [2, 1], crops: [0, 0, 1, 0], outputShape: [2, 4, 2, 1])
            let input: [Int8] = [
                57, 73, 1, 17, 26, -14, -85, 0, 48, -20, -86, -4, 119, -37, 91, 12, 45, 45, -95, 65, -128, -127, 24,
                -93,
            ]
            let output = runKernel(input: input, outputCount: 16) { batchToSpaceNDReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [73, 1, -37, 91, 26, -14, 45, 45, 0, 48, 65, -128, -86, -4, 24, -93]
            #expect(output == expected)
        }
    }
}
