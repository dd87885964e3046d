import PerchKernels
import PerchTFLite

/// Runs subgraph 0 of an int8 TensorFlow Lite model with Perch's kernels.
///
/// Preparing (the initializer) does all the work that can fail: it checks every operator, tensor type,
/// shape and quantization, precomputes each kernel's multipliers and shifts, plans one arena for all
/// intermediate tensors from their lifetimes, and allocates it. ``invoke()`` then runs the operators
/// in order with no allocation and no error path.
///
/// ```swift
/// let interpreter = try Interpreter(model: try TFLiteModel(bytes: bytes))
/// try interpreter.setInput(0, .int8(pixels))
/// interpreter.invoke()
/// let scores = interpreter.output(0)
/// ```
public final class Interpreter {
    /// The model this interpreter runs (its bytes hold the weights, used in place).
    public let model: TFLiteModel
    /// Graph inputs, in position order.
    public let inputs: [TensorInfo]
    /// Graph outputs, in position order.
    public let outputs: [TensorInfo]
    /// Bytes of the arena that holds every intermediate tensor and kernel scratch space.
    public var arenaByteCount: Int { arena.byteCount }
    /// Bytes of the weight copies the optimized kernels made at prepare time, in their own layouts (e.g.
    /// CONV_2D's transposed or dot-product-packed filters); allocated once, outside the arena.
    public let preparedWeightByteCount: Int
    /// The options the model was prepared with.
    public let options: InterpreterOptions

    let operations: [Operation]
    let slots: [TensorSlot]
    let arena: Arena

    /// Prepares `model` for inference.
    ///
    /// - Throws: ``InterpreterError`` naming the operator or tensor at fault: an unsupported operator
    ///   (with its builtin code, version and index), a wrong type, shape or quantization, a model
    ///   whose static shapes are inconsistent with what its operators compute, or an arena over budget.
    public init(model: TFLiteModel, options: InterpreterOptions = InterpreterOptions()) throws(InterpreterError) {
        guard let graph = model.subgraphs.first else { throw .noSubgraph }
        self.model = model
        self.options = options

        var operations: [Operation] = []
        var scratchRequests: [(operator: Int, bytes: Int)] = []
        var preparedWeightBytes = 0
        var firstWrite = [Int?](repeating: nil, count: graph.tensors.count)
        var lastRead = [Int?](repeating: nil, count: graph.tensors.count)
        let graphInputs = Set(graph.inputs.map { Int($0) })
        for (index, op) in graph.operators.enumerated() {
            let code = model.operatorCodes[Int(op.opcodeIndex)]
            if let custom = code.customCode { throw .customOperator(name: custom, operatorIndex: index) }
            let context = OperatorContext(
                model: model, graph: graph, op: op, code: code.builtin, version: code.version, operatorIndex: index)
            let prepared = try OperationBuilder.build(context, options: options)
            for tensor in op.inputs where tensor >= 0 {
                let tensorIndex = Int(tensor)
                if model.data(of: graph.tensors[tensorIndex]) != nil { continue }
                if firstWrite[tensorIndex] == nil && !graphInputs.contains(tensorIndex) {
                    throw .tensorNeverWritten(tensorIndex: tensorIndex, operatorIndex: index)
                }
                lastRead[tensorIndex] = index
            }
            for tensor in op.outputs where tensor >= 0 {
                let tensorIndex = Int(tensor)
                if firstWrite[tensorIndex] == nil { firstWrite[tensorIndex] = index }
            }
            if prepared.scratchBytes > 0 { scratchRequests.append((index, prepared.scratchBytes)) }
            preparedWeightBytes += prepared.preparedWeightBytes
            operations.append(prepared.operation)
        }

        // Lifetimes: graph inputs live from the start, graph outputs to the end.
        let lastOperator = max(graph.operators.count - 1, 0)
        for tensor in graph.outputs where tensor >= 0 { lastRead[Int(tensor)] = lastOperator }
        if options.preserveAllTensors {
            for index in lastRead.indices { lastRead[index] = lastOperator }
        }
        var requests: [BufferRequest] = []
        var requestTensor: [Int] = []
        var slots = [TensorSlot](repeating: .unused, count: graph.tensors.count + scratchRequests.count)
        for (index, tensor) in graph.tensors.enumerated() {
            if let range = model.data(of: tensor) {
                slots[index] = TensorSlot(byteOffset: range.lowerBound, byteCount: range.count, isConstant: true)
                continue
            }
            let isInput = graphInputs.contains(index)
            guard isInput || firstWrite[index] != nil else { continue }  // unused tensor
            let bytes = try Self.byteCount(of: tensor, index: index)
            let first = isInput ? 0 : firstWrite[index]!
            requests.append(BufferRequest(byteCount: bytes, firstUse: first, lastUse: max(lastRead[index] ?? first, first)))
            requestTensor.append(index)
        }
        for (position, scratch) in scratchRequests.enumerated() {
            requests.append(BufferRequest(byteCount: scratch.bytes, firstUse: scratch.operator, lastUse: scratch.operator))
            requestTensor.append(graph.tensors.count + position)
        }
        let plan = MemoryPlanner.plan(requests, alignment: 16)
        if let budget = options.arenaBudget, plan.arenaByteCount + preparedWeightBytes > budget {
            throw .arenaTooLarge(needed: plan.arenaByteCount + preparedWeightBytes, budget: budget)
        }
        self.preparedWeightByteCount = preparedWeightBytes
        for (request, tensor) in requestTensor.enumerated() {
            slots[tensor] = TensorSlot(byteOffset: plan.offsets[request], byteCount: requests[request].byteCount, isConstant: false)
        }
        // Each operator that asked for scratch space finds it at the slot after the tensors.
        var scratchSlotOf = [Int: Int]()
        for (position, scratch) in scratchRequests.enumerated() {
            scratchSlotOf[scratch.operator] = graph.tensors.count + position
        }
        self.operations = operations.enumerated().map { index, operation in
            operation.withScratch(scratchSlotOf[index])
        }
        self.slots = slots
        self.arena = Arena(byteCount: plan.arenaByteCount)
        self.inputs = try graph.inputs.map { tensor throws(InterpreterError) in try Self.info(graph, Int(tensor)) }
        self.outputs = try graph.outputs.map { tensor throws(InterpreterError) in try Self.info(graph, Int(tensor)) }
    }

    /// Runs every operator once, on the current inputs.
    ///
    /// Allocates nothing and cannot fail: everything was checked when the model was prepared.
    public func invoke() {
        withTensorViews { views, reference in
            // Indexing rather than `for in`: unoptimized builds call the generic iterator, which
            // allocates a coroutine frame per element; inference must not allocate in any build.
            var index = 0
            while index < operations.count {
                operations[index].run(views, reference: reference)
                index += 1
            }
        }
    }

    /// The number of operators ``invoke()`` runs, in the model's execution order.
    public var operatorCount: Int { operations.count }

    /// Runs operator `index` alone, on what its input tensors hold now: running `0 ..< operatorCount`
    /// in order is ``invoke()``. For per-operator profiling (`perch bench --per-op`).
    ///
    /// - Precondition: `0 <= index < operatorCount`.
    public func invokeOperator(at index: Int) {
        precondition(index >= 0 && index < operations.count, "operator index out of range")
        withTensorViews { views, reference in operations[index].run(views, reference: reference) }
    }

    /// Calls `body` with the views of this interpreter's tensors and whether to run the reference kernels.
    private func withTensorViews(_ body: (TensorViews, Bool) -> Void) {
        let slots = self.slots
        let arenaBase = arena.base
        let reference = options.kernels == .reference
        model.bytes.withUnsafeBytes { constants in
            body(TensorViews(arena: arenaBase, constants: constants.baseAddress!, slots: slots), reference)
        }
    }

    static func byteCount(of tensor: Tensor, index: Int) throws(InterpreterError) -> Int {
        guard let type = ElementType(tensor.type) else {
            throw .invalidShape(tensorIndex: index, shape: tensor.shape)
        }
        var count = type.byteCount
        for dim in tensor.shape {
            guard dim >= 0 else { throw .invalidShape(tensorIndex: index, shape: tensor.shape) }
            let (product, overflow) = count.multipliedReportingOverflow(by: Int(dim))
            // Int64: `1 << 31` as a 32-bit `Int` (armv7) is `Int.min`, which rejected every tensor.
            guard !overflow, Int64(product) <= Int64(1) << 31 else {
                throw .invalidShape(tensorIndex: index, shape: tensor.shape)
            }
            count = product
        }
        return count
    }

    static func info(_ graph: Subgraph, _ index: Int) throws(InterpreterError) -> TensorInfo {
        let tensor = graph.tensors[index]
        guard let type = ElementType(tensor.type) else {
            throw .invalidShape(tensorIndex: index, shape: tensor.shape)
        }
        let quantization = tensor.quantization
        let scale = quantization?.scale.first
        let zeroPoint = quantization?.zeroPoint.first.flatMap { Int32(exactly: $0) }
        return TensorInfo(
            index: index, name: tensor.name, shape: tensor.shape.map { Int($0) }, elementType: type,
            scale: scale, zeroPoint: scale == nil ? nil : (zeroPoint ?? 0))
    }
}
