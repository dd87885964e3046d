import SystemPackage

/// One driver buffer mapped into this process with `v4l2_mmap`; unmapped with `v4l2_munmap` on deinit.
///
/// The bytes are only lent out inside a closure (``withBytes(count:_:)``), never stored.
final class MappedBuffer {
    private let pointer: UnsafeMutableRawPointer
    /// The mapped length in bytes (`v4l2_buffer.length`).
    let length: Int

    /// Maps `length` bytes at `offset` of `fd` (`v4l2_mmap(NULL, length, PROT_READ|PROT_WRITE, MAP_SHARED, fd, offset)`).
    ///
    /// - Throws: `Errno` from `mmap`.
    init(fileDescriptor fd: CInt, length: Int, offset: Int64) throws(Errno) {
        guard let pointer = system_v4l2_mmap(fd, length: length, offset: offset) else {
            throw Errno(rawValue: system_errno)
        }
        self.pointer = pointer
        self.length = length
    }

    deinit {
        _ = system_v4l2_munmap(pointer, length)
    }

    /// Lends the first `count` bytes (clamped to the mapping) as a span.
    func withBytes<R, E: Error>(count: Int, _ body: (Span<UInt8>) throws(E) -> R) throws(E) -> R {
        let n = max(0, min(count, length))
        let buffer = UnsafeBufferPointer(start: pointer.assumingMemoryBound(to: UInt8.self), count: n)
        return try body(buffer.span)
    }
}
