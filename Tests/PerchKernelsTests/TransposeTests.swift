import PerchKernels
import Testing

@Suite struct TransposeTests {
    @Test func transposesAMatrixAndNCHWToNHWC() throws {
        let matrix = try TransposeParameters(inputShape: [2, 3], permutation: [1, 0], outputShape: [3, 2])
        let out = runKernel(input: [1, 2, 3, 4, 5, 6], outputCount: 6) {
            transposeReference(matrix, input: $0, output: &$1)
        }
        #expect(out == [1, 4, 2, 5, 3, 6])
        // NCHW [1, 2, 1, 2] → NHWC [1, 1, 2, 2]: channel planes interleave.
        let nchw = try TransposeParameters(
            inputShape: [1, 2, 1, 2], permutation: [0, 2, 3, 1], outputShape: [1, 1, 2, 2])
        let image = runKernel(input: [10, 11, 20, 21], outputCount: 4) {
            transposeReference(nchw, input: $0, output: &$1)
        }
        #expect(image == [10, 20, 11, 21])
    }

    @Test func optimizedEqualsReferenceOnSeededRandomPermutations() throws {
        var rng = SplitMix64(seed: 0x7A45)
        for index in 0..<120 {
            let rank = rng.int(in: 1...6)
            let shape = (0..<rank).map { _ in rng.int(in: 1...5) }
            var permutation = Array(0..<rank)
            for i in stride(from: rank - 1, to: 0, by: -1) { permutation.swapAt(i, rng.int(in: 0...i)) }
            let p = try TransposeParameters(
                inputShape: shape, permutation: permutation.map { Int32($0) },
                outputShape: permutation.map { shape[$0] })
            let input = rng.int8Array(count: p.elementCount)
            let reference = runKernel(input: input, outputCount: p.elementCount) {
                transposeReference(p, input: $0, output: &$1)
            }
            let optimized = runKernel(input: input, outputCount: p.elementCount) {
                transposeOptimized(p, input: $0, output: &$1)
            }
            #expect(optimized == reference, "case \(index): \(shape) by \(permutation)")
        }
    }

    @Test func rejectsInvalidPermutationsAndShapes() {
        #expect(throws: KernelError.unsupportedParameter(.permutation, value: 0)) {
            try TransposeParameters(inputShape: [2, 3], permutation: [0, 0], outputShape: [2, 2])
        }
        #expect(throws: KernelError.unsupportedParameter(.permutation, value: 2)) {
            try TransposeParameters(inputShape: [2, 3], permutation: [0, 2], outputShape: [2, 3])
        }
        #expect(throws: KernelError.shapeMismatch(tensor: .output(0), expected: [3, 2], actual: [2, 3])) {
            try TransposeParameters(inputShape: [2, 3], permutation: [1, 0], outputShape: [2, 3])
        }
    }

    /// Expected outputs recorded from TFLite Micro's reference kernels (PyPI `tflite-micro`
    /// 0.dev20261023182759, one-op int8 models built for each case, numpy seed 1009).
    @Test func matchesTFLiteMicroReferenceOutputs() throws {
        do {
            let p = try TransposeParameters(
                inputShape: [1, 2, 1, 1, 1], permutation: [3, 1, 0, 4, 2], outputShape: [1, 2, 1, 1, 1])
            let input: [Int8] = [-31, -44]
            let output = runKernel(input: input, outputCount: 2) { transposeReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [-31, -44]
            #expect(output == expected)
        }
        do {
            let p = try TransposeParameters(
                inputShape: [1, 2, 1, 1], permutation: [2, 3, 0, 1], outputShape: [1, 1, 1, 2])
            let input: [Int8] = [-77, -113]
            let output = runKernel(input: input, outputCount: 2) { transposeReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [-77, -113]
            #expect(output == expected)
        }
        do {
            let p = try TransposeParameters(
                inputShape: [3], permutation: [0], outputShape: [3])
            let input: [Int8] = [89, 99, 40]
            let output = runKernel(input: input, outputCount: 3) { transposeReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [89, 99, 40]
            #expect(output == expected)
        }
        do {
            let p = try TransposeParameters(
                inputShape: [3, 2], permutation: [1, 0], outputShape: [2, 3])
            let input: [Int8] = [96, 71, -127, 67, 40, 35]
            let output = runKernel(input: input, outputCount: 6) { transposeReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [96, -127, 40, 71, 67, 35]
            #expect(output == expected)
        }
    }
}
