/// Where a tensor's bytes are: in the arena (activations) or in the model file (constants).
struct TensorSlot: Sendable {
    /// Byte offset in the arena or in the model's bytes.
    var byteOffset: Int
    /// Bytes of data.
    var byteCount: Int
    /// Whether the bytes are the model's (read-only) rather than the arena's.
    var isConstant: Bool

    static let unused = TensorSlot(byteOffset: 0, byteCount: 0, isConstant: true)
}
