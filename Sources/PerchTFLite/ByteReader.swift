/// Bounds-checked little-endian reads from the bytes of one model file.
///
/// This is the single primitive every flatbuffer access goes through. Each read first checks, with
/// overflow-safe arithmetic, that the whole value lies inside the buffer and returns `nil` otherwise;
/// callers turn `nil` into a ``ModelError`` that names the table and field. Values are assembled from
/// individual bytes, so no unsafe code is needed and alignment never matters.
struct ByteReader: Sendable {
    /// The whole model file.
    let bytes: [UInt8]

    /// The number of bytes in the file.
    var count: Int { bytes.count }

    /// Whether `length` bytes starting at `offset` lie inside the buffer.
    ///
    /// Never overflows: `offset` and `length` are compared against the buffer size separately.
    func contains(offset: Int, length: Int) -> Bool {
        offset >= 0 && length >= 0 && offset <= bytes.count && length <= bytes.count - offset
    }

    /// The byte at `offset`, or `nil` when out of bounds.
    func uint8(at offset: Int) -> UInt8? {
        guard contains(offset: offset, length: 1) else { return nil }
        return bytes[offset]
    }

    /// The little-endian `UInt16` at `offset`, or `nil` when out of bounds.
    func uint16(at offset: Int) -> UInt16? {
        guard contains(offset: offset, length: 2) else { return nil }
        return UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    /// The little-endian `UInt32` at `offset`, or `nil` when out of bounds.
    func uint32(at offset: Int) -> UInt32? {
        guard contains(offset: offset, length: 4) else { return nil }
        return UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16
            | UInt32(bytes[offset + 3]) << 24
    }

    /// The little-endian `UInt64` at `offset`, or `nil` when out of bounds.
    func uint64(at offset: Int) -> UInt64? {
        guard contains(offset: offset, length: 8), let low = uint32(at: offset), let high = uint32(at: offset + 4)
        else { return nil }
        return UInt64(low) | UInt64(high) << 32
    }

    /// The little-endian `Int32` at `offset`, or `nil` when out of bounds.
    func int32(at offset: Int) -> Int32? {
        uint32(at: offset).map { Int32(bitPattern: $0) }
    }

    /// The little-endian `Int64` at `offset`, or `nil` when out of bounds.
    func int64(at offset: Int) -> Int64? {
        uint64(at: offset).map { Int64(bitPattern: $0) }
    }

    /// The little-endian IEEE-754 `Float` at `offset`, or `nil` when out of bounds.
    func float32(at offset: Int) -> Float? {
        uint32(at: offset).map { Float(bitPattern: $0) }
    }

    /// The bytes in `range` decoded as UTF-8, or `nil` when out of bounds or not valid UTF-8.
    func utf8String(in range: Range<Int>) -> String? {
        guard contains(offset: range.lowerBound, length: range.count) else { return nil }
        return String(validating: bytes[range], as: UTF8.self)
    }
}
