import PerchTFLite

// Copying data in and out of the arena. Like `TensorViews.swift`, this file works with raw memory:
// every copy is bounded by the slot's byte count, checked against the caller's data first.

extension Interpreter {
    /// Copies `data` into the graph input at `position`.
    ///
    /// - Throws: ``InterpreterError/inputMismatch(position:expectedCount:expectedType:actualCount:actualType:)``
    ///   when the element type or count differs from the tensor's, ``InterpreterError/noSuchPosition(_:)``
    ///   for a position the graph does not have.
    public func setInput(_ position: Int, _ data: TensorData) throws(InterpreterError) {
        let info = try inputInfo(position)
        guard data.elementType == info.elementType, data.count == info.elementCount else {
            throw .inputMismatch(
                position: position, expectedCount: info.elementCount, expectedType: info.elementType,
                actualCount: data.count, actualType: data.elementType)
        }
        switch data {
        case .int8(let values): copyIn(values, to: info.index)
        case .uint8(let values): copyIn(values, to: info.index)
        case .int32(let values): copyIn(values, to: info.index)
        case .float32(let values): copyIn(values, to: info.index)
        }
    }

    /// Copies raw bytes (in the tensor's own element type, little-endian) into the input at `position`.
    ///
    /// - Throws: ``InterpreterError/inputMismatch(position:expectedCount:expectedType:actualCount:actualType:)``
    ///   when the byte count differs from the tensor's.
    public func setInput(_ position: Int, rawBytes: [UInt8]) throws(InterpreterError) {
        let info = try inputInfo(position)
        guard rawBytes.count == info.byteCount else {
            throw .inputMismatch(
                position: position, expectedCount: info.elementCount, expectedType: info.elementType,
                actualCount: rawBytes.count / max(info.elementType.byteCount, 1), actualType: info.elementType)
        }
        copyIn(rawBytes, to: info.index)
    }

    /// Lets `body` write the int8 input at `position` in place (no copy): the fastest way to feed frames.
    ///
    /// - Precondition: the input at `position` exists and is int8.
    public func withInt8Input<R>(_ position: Int, _ body: (inout MutableSpan<Int8>) -> R) -> R {
        precondition(position >= 0 && position < inputs.count, "no input at that position")
        precondition(inputs[position].elementType == .int8, "input is not int8")
        let slot = slots[inputs[position].index]
        let buffer = UnsafeMutableBufferPointer(
            start: (arena.base + slot.byteOffset).assumingMemoryBound(to: Int8.self), count: slot.byteCount)
        var span = MutableSpan(_unsafeElements: buffer)
        return body(&span)
    }

    /// A copy of the graph output at `position`.
    ///
    /// - Precondition: the output at `position` exists.
    public func output(_ position: Int) -> TensorData {
        precondition(position >= 0 && position < outputs.count, "no output at that position")
        let info = outputs[position]
        switch info.elementType {
        case .int8: return .int8(copyOut(info.index, as: Int8.self))
        case .int32: return .int32(copyOut(info.index, as: Int32.self))
        case .float32: return .float32(copyOut(info.index, as: Float.self))
        default: return .uint8(copyOut(info.index, as: UInt8.self))
        }
    }

    /// Lets `body` read the int8 output at `position` in place (no copy).
    ///
    /// - Precondition: the output at `position` exists and is int8.
    public func withInt8Output<R>(_ position: Int, _ body: (Span<Int8>) -> R) -> R {
        precondition(position >= 0 && position < outputs.count, "no output at that position")
        precondition(outputs[position].elementType == .int8, "output is not int8")
        let views = TensorViews(arena: arena.base, constants: arena.base, slots: slots)
        let buffer = views.buffer(outputs[position].index, as: Int8.self)
        return body(Span(_unsafeElements: buffer))
    }

    /// A copy of any tensor of subgraph 0 (constants included), or `nil` for a tensor that has no
    /// storage (unused) or an element type the runtime does not hold.
    ///
    /// An intermediate tensor's bytes are only meaningful after `invoke()` when the interpreter was
    /// prepared with ``InterpreterOptions/preserveAllTensors``; otherwise the arena reuses them.
    public func tensorData(_ index: Int) -> TensorData? {
        guard let graph = model.subgraphs.first, index >= 0, index < graph.tensors.count else { return nil }
        let slot = slots[index]
        guard slot.byteCount > 0, let type = ElementType(graph.tensors[index].type) else { return nil }
        switch type {
        case .int8: return .int8(copyOut(index, as: Int8.self))
        case .uint8: return .uint8(copyOut(index, as: UInt8.self))
        case .int32: return .int32(copyOut(index, as: Int32.self))
        case .float32: return .float32(copyOut(index, as: Float.self))
        default: return nil
        }
    }

    private func inputInfo(_ position: Int) throws(InterpreterError) -> TensorInfo {
        guard position >= 0 && position < inputs.count else { throw .noSuchPosition(position) }
        return inputs[position]
    }

    private func copyIn<T>(_ values: [T], to tensor: Int) {
        let slot = slots[tensor]
        values.withUnsafeBytes { source in
            precondition(source.count == slot.byteCount)
            (arena.base + slot.byteOffset).copyMemory(from: source.baseAddress!, byteCount: source.count)
        }
    }

    private func copyOut<T>(_ tensor: Int, as type: T.Type) -> [T] {
        let slot = slots[tensor]
        let count = slot.byteCount / MemoryLayout<T>.stride
        // Constant outputs (rare) come from the model's bytes.
        if slot.isConstant {
            return model.bytes.withUnsafeBytes { constants in
                Array(UnsafeBufferPointer(start: (constants.baseAddress! + slot.byteOffset).assumingMemoryBound(to: T.self), count: count))
            }
        }
        return Array(UnsafeBufferPointer(start: (arena.base + slot.byteOffset).assumingMemoryBound(to: T.self), count: count))
    }
}
