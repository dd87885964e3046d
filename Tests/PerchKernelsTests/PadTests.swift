import PerchKernels
import Testing

@Suite struct PadTests {
    @Test func padsWithTheOutputZeroPointOrAConstant() throws {
        // [1, 2] padded by [[0, 0], [1, 2]] → [1, 5].
        let pad = try PadParameters(
            inputShape: [1, 2], paddings: [0, 0, 1, 2], outputShape: [1, 5], outputZeroPoint: -3)
        #expect(
            runKernel(input: [8, 9], outputCount: 5) { padReference(pad, input: $0, output: &$1) } == [
                -3, 8, 9, -3, -3,
            ])
        let padV2 = try PadParameters(
            inputShape: [1, 2], paddings: [0, 0, 1, 2], constantValue: 7, outputShape: [1, 5], outputZeroPoint: -3)
        #expect(
            runKernel(input: [8, 9], outputCount: 5) { padReference(padV2, input: $0, output: &$1) } == [7, 8, 9, 7, 7])
    }

    @Test func padsImagesOnAllSides() throws {
        // A 1×1 image padded by one pixel on each side of H and W.
        let p = try PadParameters(
            inputShape: [1, 1, 1, 1], paddings: [0, 0, 1, 1, 1, 1, 0, 0], outputShape: [1, 3, 3, 1], outputZeroPoint: 0)
        let out = runKernel(input: [5], outputCount: 9) { padReference(p, input: $0, output: &$1) }
        #expect(out == [0, 0, 0, 0, 5, 0, 0, 0, 0])
    }

    @Test func rejectsBadPaddingsAndShapes() {
        #expect(throws: KernelError.unsupportedParameter(.padding, value: -1)) {
            try PadParameters(inputShape: [3], paddings: [-1, 0], outputShape: [2], outputZeroPoint: 0)
        }
        #expect(throws: KernelError.unsupportedParameter(.padding, value: 2)) {
            try PadParameters(inputShape: [3, 1], paddings: [1, 1], outputShape: [5, 1], outputZeroPoint: 0)
        }
        #expect(throws: KernelError.shapeMismatch(tensor: .output(0), expected: [5], actual: [4])) {
            try PadParameters(inputShape: [3], paddings: [1, 1], outputShape: [4], outputZeroPoint: 0)
        }
        #expect(throws: KernelError.rankMismatch(tensor: .input(0), expected: 5, actual: 6)) {
            try PadParameters(
                inputShape: [1, 1, 1, 1, 1, 1], paddings: [Int32](repeating: 0, count: 12),
                outputShape: [1, 1, 1, 1, 1, 1], outputZeroPoint: 0)
        }
    }

    /// Expected outputs recorded from TFLite Micro's reference kernels (PyPI `tflite-micro`
    /// 0.dev20261023182759, one-op int8 models built for each case, numpy seed 1008).
    @Test func matchesTFLiteMicroReferenceOutputs() throws {
        do {
            let p = try PadParameters(
                inputShape: [1, 2], paddings: [2, 1, 0, 0], constantValue: 88, outputShape: [4, 2],
                outputZeroPoint: 123)
            let input: [Int8] = [-38, -108]
            let output = runKernel(input: input, outputCount: 8) { padReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [88, 88, 88, 88, -38, -108, 88, 88]
            #expect(output == expected)
        }
        do {
            let p = try PadParameters(
                inputShape: [1, 3, 1], paddings: [1, 1, 2, 0, 2, 0], constantValue: nil, outputShape: [3, 5, 3],
                outputZeroPoint: -111)
            let input: [Int8] = [-104, 67, -1]
            let output = runKernel(input: input, outputCount: 45) { padReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [
                -111, -111, -111, -111, -111, -111, -111, -111, -111, -111, -111, -111, -111, -111, -111, -111, -111,
                -111, -111, -111, -111, -111, -111, -104, -111, -111, 67, -111, -111, -1, -111, -111, -111, -111,
                -111, -111, -111, -111, -111, -111, -111, -111, -111, -111, -111,
            ]
            #expect(output == expected)
        }
        do {
            let p = try PadParameters(
                inputShape: [3, 1], paddings: [1, 0, 0, 1], constantValue: nil, outputShape: [4, 2],
                outputZeroPoint: -60)
            let input: [Int8] = [-99, -53, 112]
            let output = runKernel(input: input, outputCount: 8) { padReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [-60, -60, -99, -60, -53, -60, 112, -60]
            #expect(output == expected)
        }
        do {
            let p = try PadParameters(
                inputShape: [2, 1, 2], paddings: [1, 2, 1, 1, 0, 1], constantValue: -61, outputShape: [5, 3, 3],
                outputZeroPoint: -117)
            let input: [Int8] = [-2, 117, -26, 67]
            let output = runKernel(input: input, outputCount: 45) { padReference(p, input: $0, output: &$1) }
            let expected: [Int8] = [
                -61, -61, -61, -61, -61, -61, -61, -61, -61, -61, -61, -61, -2, 117, -61, -61, -61, -61, -61, -61,
                -61, -26, 67, -61, -61, -61, -61, -61, -61, -61, -61, -61, -61, -61, -61, -61, -61, -61, -61, -61,
                -61, -61, -61, -61, -61,
            ]
            #expect(output == expected)
        }
    }
}

@Suite struct PadOptimizedTests {
    @Test(arguments: 0..<60)
    func optimizedEqualsReference(seed: Int) throws {
        var random = SplitMix64(seed: UInt64(seed) &+ 0x9AD)
        let rank = random.int(in: 1...5)
        let shape = (0..<rank).map { _ in random.int(in: 1...5) }
        var paddings: [Int32] = []
        var outputShape: [Int] = []
        for axis in 0..<rank {
            // Even seeds leave the innermost axis unpadded (as an image's channels), which the optimized
            // kernel merges with the axis before.
            let unpadded = axis == rank - 1 && seed % 2 == 0
            let before = unpadded ? 0 : random.int(in: 0...3)
            let after = unpadded ? 0 : random.int(in: 0...3)
            paddings += [Int32(before), Int32(after)]
            outputShape.append(shape[axis] + before + after)
        }
        let constant: Int8? = random.bool() ? random.int8() : nil
        let p = try PadParameters(
            inputShape: shape, paddings: paddings, constantValue: constant, outputShape: outputShape,
            outputZeroPoint: Int32(random.int8()))
        let input = random.int8Array(count: shape.reduce(1, *))
        let count = outputShape.reduce(1, *)
        let expected = runKernel(input: input, outputCount: count) { input, output in
            padReference(p, input: input, output: &output)
        }
        let actual = runKernel(input: input, outputCount: count) { input, output in
            padOptimized(p, input: input, output: &output)
        }
        #expect(actual == expected)
    }
}
