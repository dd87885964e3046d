import PerchKernels
import Testing

@Suite struct ActivationRangeTests {
    @Test func fusedActivationsClampToTheirQuantizedBounds() throws {
        #expect(try activationRangeInt8(.none, outputScale: 0.1, outputZeroPoint: 3) == (-128, 127))
        #expect(try activationRangeInt8(.relu, outputScale: 0.1, outputZeroPoint: 10) == (10, 127))
        // relu6 at scale 6/255, zero point −128 covers exactly [−128, 127].
        #expect(try activationRangeInt8(.relu6, outputScale: 0.023529412, outputZeroPoint: -128) == (-128, 127))
        // relu6 at scale 0.1: 6 / 0.1 = 60 (float division), plus the zero point.
        #expect(try activationRangeInt8(.relu6, outputScale: 0.1, outputZeroPoint: -20) == (-20, 40))
        #expect(try activationRangeInt8(.reluN1To1, outputScale: 0.25, outputZeroPoint: 0) == (-4, 4))
    }

    @Test func aBoundThatOverflowsInt32IsAnErrorNotATrap() {
        #expect(throws: KernelError.unsupportedQuantization(tensor: .output(0))) {
            try activationRangeInt8(.relu6, outputScale: 1e-20, outputZeroPoint: 0)
        }
    }

    @Test func tanhAndSignBitAreNotFusedActivationsForInt8() {
        #expect(throws: KernelError.unsupportedParameter(.activation, value: 4)) {
            try activationRangeInt8(.tanh, outputScale: 0.1, outputZeroPoint: 0)
        }
    }
}
