/// Typed views of tensors during one `invoke`, built from the arena and the model's bytes.
///
/// This is the one place in `PerchInference` that turns byte offsets into pointers (with
/// `Arena.swift`). Every slot was checked at prepare time to lie inside its memory (the planner for
/// the arena, the reader for constants), and element types were checked per operator, so the views
/// are in bounds and correctly typed. Pointers never outlive `Interpreter.invoke()`.
struct TensorViews {
    let arena: UnsafeMutableRawPointer
    let constants: UnsafeRawPointer
    let slots: [TensorSlot]

    @inline(__always)
    func buffer<T>(_ tensor: Int, as type: T.Type) -> UnsafeBufferPointer<T> {
        let slot = slots[tensor]
        let start = slot.isConstant ? constants + slot.byteOffset : UnsafeRawPointer(arena + slot.byteOffset)
        return UnsafeBufferPointer(
            start: start.assumingMemoryBound(to: T.self), count: slot.byteCount / MemoryLayout<T>.stride)
    }

    @inline(__always)
    func mutableBuffer<T>(_ tensor: Int, as type: T.Type) -> UnsafeMutableBufferPointer<T> {
        let slot = slots[tensor]
        precondition(!slot.isConstant, "a kernel may only write arena tensors")
        return UnsafeMutableBufferPointer(
            start: (arena + slot.byteOffset).assumingMemoryBound(to: T.self),
            count: slot.byteCount / MemoryLayout<T>.stride)
    }
}

extension Array where Element == UInt8 {
    /// Calls `body` with the int8 view of `range` of these bytes (a model's constant data, in place).
    func withInt8Span<R, E: Error>(_ range: Range<Int>, _ body: (Span<Int8>) throws(E) -> R) throws(E) -> R {
        precondition(range.lowerBound >= 0 && range.upperBound <= count)
        let result: Result<R, E> = withUnsafeBytes { raw in
            let slice = UnsafeRawBufferPointer(rebasing: raw[range])
            let typed = slice.assumingMemoryBound(to: Int8.self)
            let span = Span(_unsafeElements: typed)
            do throws(E) {
                return .success(try body(span))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}

extension TensorViews {
    /// Calls `body` with the int8 span of `input` and the mutable int8 span of `output`.
    @inline(__always)
    func unary(_ input: Int, _ output: Int, _ body: (Span<Int8>, inout MutableSpan<Int8>) -> Void) {
        let source = buffer(input, as: Int8.self)
        let destination = mutableBuffer(output, as: Int8.self)
        var outputSpan = MutableSpan(_unsafeElements: destination)
        body(Span(_unsafeElements: source), &outputSpan)
    }

    /// Calls `body` with the int8 spans of two inputs and the mutable int8 span of `output`.
    @inline(__always)
    func binary(_ input1: Int, _ input2: Int, _ output: Int, _ body: (Span<Int8>, Span<Int8>, inout MutableSpan<Int8>) -> Void) {
        let first = buffer(input1, as: Int8.self)
        let second = buffer(input2, as: Int8.self)
        let destination = mutableBuffer(output, as: Int8.self)
        var outputSpan = MutableSpan(_unsafeElements: destination)
        body(Span(_unsafeElements: first), Span(_unsafeElements: second), &outputSpan)
    }

    /// Copies the bytes of `input` to `output` (equal sizes, checked at prepare time).
    @inline(__always)
    func copy(_ input: Int, to output: Int) {
        let source = buffer(input, as: UInt8.self)
        let destination = mutableBuffer(output, as: UInt8.self)
        guard source.baseAddress != UnsafePointer(destination.baseAddress) else { return }
        destination.baseAddress!.update(from: source.baseAddress!, count: min(source.count, destination.count))
    }
}
