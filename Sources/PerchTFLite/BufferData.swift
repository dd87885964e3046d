/// One entry of `Model.buffers`: where a constant tensor's bytes are in ``TFLiteModel/bytes``.
///
/// Nothing is copied: weights stay in the caller's buffer and are read in place.
public struct BufferData: Sendable, Equatable {
    /// The byte range in the model file; empty when the buffer holds no data.
    public let range: Range<Int>

    /// Creates a buffer description.
    ///
    /// - Parameter range: The byte range in the model file.
    public init(range: Range<Int>) {
        self.range = range
    }
}

extension ModelDecoder {
    /// Decodes a `Buffer` table.
    ///
    /// Data is either inline (`data`, field 0) or, in models over 2 GB, at `offset`/`size` (fields 1, 2)
    /// from the start of the file. As in TFLite, `offset` is used when it is greater than 1.
    /// - Throws: ``ModelError/dataOutOfBounds(offset:size:field:)`` and any structural error.
    mutating func buffer(_ table: FlatBufferTable) throws(ModelError) -> BufferData {
        let offset = try table.uint64(1, "offset")
        if offset > 1 {
            let size = try table.uint64(2, "size")
            return BufferData(
                range: try externalRange(offset: offset, size: size, field: table.path.appending("offset")))
        }
        let data = try byteRange(table, 0, "data") ?? 0..<0
        return BufferData(range: data.isEmpty ? 0..<0 : data)
    }
}
