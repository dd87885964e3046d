/// A validated flatbuffer vector: its length word and all its elements are inside the file.
struct FlatBufferVector {
    /// The file the vector lives in.
    let reader: ByteReader
    /// Byte offset of the vector's length word.
    let position: Int
    /// Number of elements.
    let count: Int
    /// Size of one element in bytes (4 for tables and strings: they are stored as offsets).
    let elementSize: Int
    /// Where the vector sits in the model, for error messages.
    let path: FieldPath

    /// Validates the vector whose length word is at `position`.
    ///
    /// - Throws: ``ModelError/truncated(offset:needed:field:)`` when the length word is cut off,
    ///   ``ModelError/vectorTooLong(offset:count:field:)`` when `count × elementSize` bytes do not fit
    ///   between the first element and the end of the file.
    init(reader: ByteReader, position: Int, elementSize: Int, path: FieldPath) throws(ModelError) {
        precondition(elementSize > 0, "element size must be positive")
        guard let rawCount = reader.uint32(at: position) else {
            throw .truncated(offset: position, needed: 4, field: path)
        }
        // `position + 4 <= reader.count` here, so the subtraction cannot go negative.
        let available = (reader.count - (position + 4)) / elementSize
        guard UInt64(rawCount) <= UInt64(available) else {
            throw .vectorTooLong(offset: position, count: Int(truncatingIfNeeded: rawCount), field: path)
        }
        self.reader = reader
        self.position = position
        self.count = Int(rawCount)
        self.elementSize = elementSize
        self.path = path
    }

    /// Byte offset of the first element.
    var start: Int { position + 4 }

    /// The bytes of all elements.
    var byteRange: Range<Int> { start..<(start + count * elementSize) }

    /// Byte offset of element `index`.
    ///
    /// - Precondition: `0 <= index < count` (a programmer error, never data-dependent).
    func elementOffset(_ index: Int) -> Int {
        precondition(index >= 0 && index < count, "vector index out of range")
        return start + index * elementSize
    }

    /// The table that element `index` (an offset) points to.
    func table(at index: Int) throws(ModelError) -> FlatBufferTable {
        let elementPath = path.appending(index: index)
        let target = try reader.followOffset(at: elementOffset(index), field: elementPath)
        return try FlatBufferTable(reader: reader, position: target, path: elementPath)
    }

    /// Element `index` as an `Int32`.
    func int32(at index: Int) throws(ModelError) -> Int32 {
        let at = elementOffset(index)
        guard let value = reader.int32(at: at) else { throw .truncated(offset: at, needed: 4, field: path) }
        return value
    }

    /// Element `index` as a `Float`.
    func float32(at index: Int) throws(ModelError) -> Float {
        let at = elementOffset(index)
        guard let value = reader.float32(at: at) else { throw .truncated(offset: at, needed: 4, field: path) }
        return value
    }

    /// Element `index` as an `Int64`.
    func int64(at index: Int) throws(ModelError) -> Int64 {
        let at = elementOffset(index)
        guard let value = reader.int64(at: at) else { throw .truncated(offset: at, needed: 8, field: path) }
        return value
    }
}
