/// The one block of memory that holds every non-constant tensor (and kernel scratch space).
///
/// Allocated once when a model is prepared, zero-filled, aligned to 64 bytes, freed with the
/// interpreter. This file and `TensorViews.swift` are the only places in `PerchInference` that touch
/// raw memory: the planner guarantees every tensor's byte range lies inside the arena.
final class Arena {
    /// First byte of the arena.
    let base: UnsafeMutableRawPointer
    /// Size in bytes.
    let byteCount: Int

    init(byteCount: Int) {
        self.byteCount = byteCount
        base = UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 1), alignment: 64)
        base.initializeMemory(as: UInt8.self, repeating: 0, count: max(byteCount, 1))
    }

    deinit {
        base.deallocate()
    }
}
