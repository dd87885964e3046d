import PerchKernels
import Testing

@Suite struct PoolingTests {
    func same2x2(activation: FusedActivation = .none) throws -> Pool2DParameters {
        try Pool2DParameters(
            inputShape: Shape4(batch: 1, height: 2, width: 2, depth: 1),
            outputShape: Shape4(batch: 1, height: 2, width: 2, depth: 1), filterHeight: 2, filterWidth: 2,
            strideHeight: 1, strideWidth: 1, padding: .same, activation: activation, inputScale: 1, inputZeroPoint: 0,
            outputScale: 1, outputZeroPoint: 0)
    }

    @Test func averagePoolDividesByInBoundsTapsRoundingHalfAwayFromZero() throws {
        let p = try same2x2()
        // Windows: all 4 | right column 2 | bottom row 2 | one tap.
        let positive = runKernel(input: [1, 2, 3, 5], outputCount: 4) { averagePool2DReference(p, input: $0, output: &$1) }
        #expect(positive == [3, 4, 4, 5])  // 11/4 → 3; 7/2 → 4; 8/2 → 4; 5
        let negative = runKernel(input: [-1, -2, -3, -5], outputCount: 4) {
            averagePool2DReference(p, input: $0, output: &$1)
        }
        #expect(negative == [-3, -4, -4, -5])  // −13/4 → −3; (−7 − 1)/2 → −4; (−8 − 1)/2 → −4
    }

    @Test func maxPoolTakesLargestInBoundsValueThenClamps() throws {
        let p = try same2x2()
        let out = runKernel(input: [-1, -2, -3, -5], outputCount: 4) { maxPool2DReference(p, input: $0, output: &$1) }
        #expect(out == [-1, -2, -3, -5])
        let relu = try same2x2(activation: .relu)
        let clamped = runKernel(input: [-1, -2, 3, -5], outputCount: 4) { maxPool2DReference(relu, input: $0, output: &$1) }
        #expect(clamped == [3, 0, 3, 0])
    }

    @Test func validPoolWithStrideTwo() throws {
        // 4×4, 2×2 windows, stride 2, VALID: four disjoint windows; sums 10, 26, 42 (→ 11), −8.
        let p = try Pool2DParameters(
            inputShape: Shape4(batch: 1, height: 4, width: 4, depth: 1),
            outputShape: Shape4(batch: 1, height: 2, width: 2, depth: 1), filterHeight: 2, filterWidth: 2,
            strideHeight: 2, strideWidth: 2, padding: .valid, activation: .none, inputScale: 0.5, inputZeroPoint: 3,
            outputScale: 0.5, outputZeroPoint: 3)
        let input: [Int8] = [1, 2, 5, 6, 3, 4, 7, 8, 9, 10, -1, -2, 11, 12, -3, -2]
        let average = runKernel(input: input, outputCount: 4) { averagePool2DReference(p, input: $0, output: &$1) }
        #expect(average == [3, 7, 11, -2])  // 10/4 → 3 (2.5 away), 26/4 → 7 (6.5 away), 42/4 → 11, −8/4 → −2
        let maximum = runKernel(input: input, outputCount: 4) { maxPool2DReference(p, input: $0, output: &$1) }
        #expect(maximum == [4, 8, 12, -1])
    }

    func make(
        outputScale: Float = 0.5, outputZeroPoint: Int32 = 0, filter: Int = 2,
        output: Shape4 = Shape4(batch: 1, height: 2, width: 2, depth: 3)
    ) throws(KernelError) -> Pool2DParameters {
        try Pool2DParameters(
            inputShape: Shape4(batch: 1, height: 4, width: 4, depth: 3), outputShape: output, filterHeight: filter,
            filterWidth: filter, strideHeight: 2, strideWidth: 2, padding: .valid, activation: .none, inputScale: 0.5,
            inputZeroPoint: 0, outputScale: outputScale, outputZeroPoint: outputZeroPoint)
    }

    @Test func prepareRejectsInconsistentNodes() throws {
        _ = try make()
        #expect(throws: KernelError.unsupportedQuantization(tensor: .output(0))) { try make(outputScale: 0.6) }
        #expect(throws: KernelError.unsupportedQuantization(tensor: .output(0))) { try make(outputZeroPoint: 1) }
        #expect(throws: KernelError.unsupportedParameter(.filterSize, value: 0)) { try make(filter: 0) }
        #expect(throws: KernelError.shapeMismatch(tensor: .output(0), expected: [1, 2, 2, 3], actual: [1, 3, 3, 3])) {
            try make(output: Shape4(batch: 1, height: 3, width: 3, depth: 3))
        }
    }
}
