import PerchKernels
import Testing

@Suite struct ConcatenationTests {
    @Test func concatenatesAlongTheLastAndFirstAxis() throws {
        let last = try ConcatenationParameters(inputShapes: [[1, 2], [1, 3]], axis: -1, outputShape: [1, 5])
        #expect(last.axis == 1)
        #expect(runConcatenation(last, inputs: [[1, 2], [3, 4, 5]]) == [1, 2, 3, 4, 5])
        let first = try ConcatenationParameters(inputShapes: [[1, 2], [2, 2]], axis: 0, outputShape: [3, 2])
        #expect(runConcatenation(first, inputs: [[1, 2], [3, 4, 5, 6]]) == [1, 2, 3, 4, 5, 6])
        // Axis 1 of [2, 1] and [2, 2]: rows interleave.
        let middle = try ConcatenationParameters(inputShapes: [[2, 1], [2, 2]], axis: 1, outputShape: [2, 3])
        #expect(runConcatenation(middle, inputs: [[1, 4], [2, 3, 5, 6]]) == [1, 2, 3, 4, 5, 6])
    }

    @Test func rejectsWhatTFLiteMicroRefuses() {
        #expect(throws: KernelError.shapeMismatch(tensor: .input(1), expected: [2, 1], actual: [3, 1])) {
            try ConcatenationParameters(inputShapes: [[2, 1], [3, 1]], axis: 1, outputShape: [2, 2])
        }
        #expect(throws: KernelError.unsupportedParameter(.count, value: 11)) {
            try ConcatenationParameters(inputShapes: [[Int]](repeating: [1], count: 11), axis: 0, outputShape: [11])
        }
        #expect(throws: KernelError.unsupportedParameter(.activation, value: 1)) {
            try ConcatenationParameters(inputShapes: [[1], [1]], axis: 0, activation: .relu, outputShape: [2])
        }
        #expect(throws: KernelError.shapeMismatch(tensor: .output(0), expected: [3], actual: [2])) {
            try ConcatenationParameters(inputShapes: [[1], [2]], axis: 0, outputShape: [2])
        }
    }

    /// Expected outputs recorded from TFLite Micro's reference kernels (PyPI `tflite-micro`
    /// 0.dev20261023182759, one-op int8 models built for each case, numpy seed 1010).
    @Test func matchesTFLiteMicroReferenceOutputs() throws {
        do {
            let p = try ConcatenationParameters(
                inputShapes: [[1, 3, 2], [3, 3, 2], [3, 3, 2]], axis: 0, outputShape: [7, 3, 2])
            let inputs: [[Int8]] = [
                [107, 100, -67, -6, 86, -61],
                [
                    20, -115, -46, 7, -49, 108, -6, -107, -48, -88, -89, -110, -81, -126, 27, 37, 116, 13,
                ],
                [
                    117, -103, 90, -62, 12, 57, -128, -23, -88, 94, 31, 95, -115, -86, 113, 12, -10, -122,
                ],
            ]
            let output = runConcatenation(p, inputs: inputs)
            let expected: [Int8] = [
                107, 100, -67, -6, 86, -61, 20, -115, -46, 7, -49, 108, -6, -107, -48, -88, -89, -110, -81, -126, 27,
                37, 116, 13, 117, -103, 90, -62, 12, 57, -128, -23, -88, 94, 31, 95, -115, -86, 113, 12, -10, -122,
            ]
            #expect(output == expected)
        }
        do {
            let p = try ConcatenationParameters(
                inputShapes: [[3]], axis: 0, outputShape: [3])
            let inputs: [[Int8]] = [
                [103, -76, -102]
            ]
            let output = runConcatenation(p, inputs: inputs)
            let expected: [Int8] = [103, -76, -102]
            #expect(output == expected)
        }
        do {
            let p = try ConcatenationParameters(
                inputShapes: [[3, 2], [3, 1], [3, 1]], axis: -1, outputShape: [3, 4])
            let inputs: [[Int8]] = [
                [-64, 7, -50, 117, -113, 111],
                [119, 85, -105],
                [49, -93, -128],
            ]
            let output = runConcatenation(p, inputs: inputs)
            let expected: [Int8] = [-64, 7, 119, 49, -50, 117, 85, -93, -113, 111, -105, -128]
            #expect(output == expected)
        }
        do {
            let p = try ConcatenationParameters(
                inputShapes: [[3, 2, 2, 1], [3, 2, 2, 1]], axis: 1, outputShape: [3, 4, 2, 1])
            let inputs: [[Int8]] = [
                [-36, 111, 119, 87, -84, 52, -114, 19, 71, -6, -120, -70],
                [52, -41, -121, 43, -124, 103, 54, 122, -16, 47, -74, 7],
            ]
            let output = runConcatenation(p, inputs: inputs)
            let expected: [Int8] = [
                -36, 111, 119, 87, 52, -41, -121, 43, -84, 52, -114, 19, -124, 103, 54, 122, 71, -6, -120, -70, -16,
                47, -74, 7,
            ]
            #expect(output == expected)
        }
    }
}

/// Runs CONCATENATION input by input into one output buffer.
private func runConcatenation(_ p: ConcatenationParameters, inputs: [[Int8]]) -> [Int8] {
    var output = [Int8](repeating: 99, count: p.outputElementCount)
    var outputSpan = output.mutableSpan
    for (index, input) in inputs.enumerated() {
        concatenationReference(p, input: input.span, inputIndex: index, output: &outputSpan)
    }
    _ = consume outputSpan
    return output
}
