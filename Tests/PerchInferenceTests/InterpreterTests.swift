import CAllocationCounter
import PerchInference
import PerchTFLite
import Testing

@Suite struct InterpreterTests {
    @Test(.enabled(if: TestModels.sharedAvailable, "../shared/models is absent"))
    func personDetectArenaIsPlannedFromLifetimes() throws {
        let model = try TestModels.sharedModel("person_detect/person_detect.tflite")
        let interpreter = try Interpreter(model: model)
        #expect(interpreter.inputs.map(\.index) == [88])
        #expect(interpreter.inputs[0].shape == [1, 96, 96, 1])
        #expect(interpreter.outputs.map(\.index) == [87])
        // The busiest moment is the first pointwise convolution: its 48×48×8 input (18,432 bytes) and
        // 48×48×16 output (36,864) are alive together; the plan needs exactly that, nothing more.
        #expect(interpreter.arenaByteCount == 18_432 + 36_864)
    }

    @Test(.enabled(if: TestModels.sharedAvailable, "../shared/models is absent"))
    func invokeAllocatesNothing() throws {
        let model = try TestModels.sharedModel("person_detect/person_detect.tflite")
        let options = [
            InterpreterOptions(kernels: .optimized), InterpreterOptions(kernels: .optimized, hardwareDotProduct: false),
            InterpreterOptions(kernels: .reference),
        ]
        for option in options {
            let interpreter = try Interpreter(model: model, options: option)
            interpreter.invoke()  // warm-up: lazy runtime metadata is allowed to allocate once
            perch_allocation_counter_start()
            for _ in 0..<3 { interpreter.invoke() }
            let allocations = perch_allocation_counter_stop()
            #expect(
                allocations == 0,
                "\(option.kernels) kernels (hardware dot product \(option.hardwareDotProduct)) allocated \(allocations) times in 3 inferences"
            )
        }
    }

    /// The optimized kernels with and without the CPU's dot-product instruction, the reference kernels, and
    /// the operators run one at a time (`perch bench --per-op`) all give the same output.
    @Test(.enabled(if: TestModels.sharedAvailable, "../shared/models is absent"))
    func everyKernelPathAndOperatorByOperatorGiveTheSameOutput() throws {
        let model = try TestModels.sharedModel("person_detect/person_detect.tflite")
        var state: UInt64 = 0x5EED
        let input = (0..<(96 * 96)).map { _ -> UInt8 in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        func output(_ options: InterpreterOptions, operatorByOperator: Bool = false) throws -> TensorData {
            let interpreter = try Interpreter(model: model, options: options)
            try interpreter.setInput(0, rawBytes: input)
            if operatorByOperator {
                for index in 0..<interpreter.operatorCount { interpreter.invokeOperator(at: index) }
            } else {
                interpreter.invoke()
            }
            return interpreter.output(0)
        }
        let reference = try output(InterpreterOptions(kernels: .reference))
        #expect(try output(InterpreterOptions()) == reference)
        #expect(try output(InterpreterOptions(hardwareDotProduct: false)) == reference)
        #expect(try output(InterpreterOptions(), operatorByOperator: true) == reference)
    }

    @Test(
        .enabled(if: TestModels.sharedAvailable, "../shared/models is absent"),
        arguments: [
            "add", "conv1x1", "dw3x3_s2_same_mult2", "fc_64_to_10", "gap_fc_softmax", "hard_swish_like",
            "leaky_relu", "logistic", "mul", "resize_bilinear", "softmax_10", "tanh", "avgpool2x2",
        ])
    func everyOperatorRunsWithoutAllocating(_ name: String) throws {
        let interpreter = try Interpreter(model: try TestModels.sharedModel("single_op/\(name).tflite"))
        interpreter.invoke()
        perch_allocation_counter_start()
        interpreter.invoke()
        let allocations = perch_allocation_counter_stop()
        #expect(allocations == 0)
    }

    @Test func allocationCounterSeesAllocations() {
        // The zero above means something only if the counter counts.
        perch_allocation_counter_start()
        let array = [Int](repeating: 7, count: 1000)
        let allocations = perch_allocation_counter_stop()
        #expect(array.count == 1000)
        #expect(allocations >= 1)
    }

    @Test(.enabled(if: TestModels.sharedAvailable, "../shared/models is absent"))
    func preservingAllTensorsGivesTheSameOutputs() throws {
        let model = try TestModels.sharedModel("person_detect/person_detect.tflite")
        let planned = try Interpreter(model: model)
        let preserved = try Interpreter(model: model, options: InterpreterOptions(preserveAllTensors: true))
        #expect(preserved.arenaByteCount > planned.arenaByteCount)
        let input = TensorData.int8((0..<(96 * 96)).map { Int8(truncatingIfNeeded: $0 &* 37) })
        try planned.setInput(0, input)
        try preserved.setInput(0, input)
        planned.invoke()
        preserved.invoke()
        #expect(planned.output(0) == preserved.output(0))
        // Intermediate tensors stay readable: the first depthwise output has 48×48×8 values.
        let tensorCount = model.subgraphs[0].tensors.count
        let readable = (0..<tensorCount).compactMap { preserved.tensorData($0) }
        #expect(readable.count == tensorCount)
    }

    @Test(.enabled(if: TestModels.sharedAvailable, "../shared/models is absent"))
    func inputsOfTheWrongSizeOrTypeAreRefused() throws {
        let interpreter = try Interpreter(model: try TestModels.sharedModel("person_detect/person_detect.tflite"))
        #expect(
            throws: InterpreterError.inputMismatch(
                position: 0, expectedCount: 9216, expectedType: .int8, actualCount: 3, actualType: .int8)
        ) {
            try interpreter.setInput(0, .int8([1, 2, 3]))
        }
        #expect(
            throws: InterpreterError.inputMismatch(
                position: 0, expectedCount: 9216, expectedType: .int8, actualCount: 9216, actualType: .float32)
        ) {
            try interpreter.setInput(0, .float32([Float](repeating: 0, count: 9216)))
        }
        #expect(throws: InterpreterError.noSuchPosition(1)) { try interpreter.setInput(1, .int8([])) }
    }

    @Test(.enabled(if: TestModels.sharedAvailable, "../shared/models is absent"))
    func anArenaOverBudgetIsRefused() throws {
        let model = try TestModels.sharedModel("person_detect/person_detect.tflite")
        #expect {
            try Interpreter(model: model, options: InterpreterOptions(arenaBudget: 50_000))
        } throws: { error in
            guard case InterpreterError.arenaTooLarge(let needed, 50_000) = error else { return false }
            return needed > 50_000
        }
    }

    /// The budget covers the arena and the optimized kernels' weight copies (CONV_2D's transposed or packed
    /// filters), both of which a device must find room for.
    @Test(.enabled(if: TestModels.sharedAvailable, "../shared/models is absent"), arguments: [true, false])
    func theBudgetCountsPreparedWeightCopies(hardwareDotProduct: Bool) throws {
        let model = try TestModels.sharedModel("person_detect/person_detect.tflite")
        let options = InterpreterOptions(hardwareDotProduct: hardwareDotProduct)
        let interpreter = try Interpreter(model: model, options: options)
        // The convolutions with at least eight output channels get a copy of their filter.
        #expect(interpreter.preparedWeightByteCount > 150_000)
        let needed = interpreter.arenaByteCount + interpreter.preparedWeightByteCount
        var fits = options
        fits.arenaBudget = needed
        _ = try Interpreter(model: model, options: fits)
        var short = options
        short.arenaBudget = needed - 1
        #expect(throws: InterpreterError.arenaTooLarge(needed: needed, budget: needed - 1)) {
            try Interpreter(model: model, options: short)
        }
        #expect(
            try Interpreter(model: model, options: InterpreterOptions(kernels: .reference)).arenaByteCount == 55_296)
    }
}
