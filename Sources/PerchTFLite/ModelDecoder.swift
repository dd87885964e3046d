/// Decodes the schema's tables into Swift values, charging every materialized value to a budget.
///
/// Flatbuffer offsets may alias: a hostile file can point a thousand tensors at the same million-element
/// shape vector. Each vector element and table decoded is therefore charged its encoded size, and the
/// total may not exceed twice the file size (plus a small constant). A file without aliasing never needs
/// more than its own size, so real models are unaffected, and memory use stays linear in the file size.
struct ModelDecoder {
    /// The file being decoded.
    let reader: ByteReader
    /// Bytes of decoded values still allowed.
    private var budget: Int

    /// Creates a decoder for `reader`'s bytes.
    init(reader: ByteReader) {
        self.reader = reader
        let (doubled, overflow) = reader.count.multipliedReportingOverflow(by: 2)
        self.budget = overflow ? Int.max : doubled &+ 4096
    }

    /// Charges `count` values of `size` bytes each.
    ///
    /// - Throws: ``ModelError/decodeLimitExceeded(field:)`` when the budget is exhausted.
    mutating func charge(_ count: Int, size: Int, field: FieldPath) throws(ModelError) {
        let (cost, overflow) = count.multipliedReportingOverflow(by: size)
        guard !overflow, cost <= budget else { throw .decodeLimitExceeded(field: field) }
        budget -= cost
    }

    // MARK: - Vectors

    /// The vector of tables in field `id` of `table` (each table charged 4 bytes), or `nil` when absent.
    mutating func tables(_ table: FlatBufferTable, _ id: Int, _ name: String) throws(ModelError) -> FlatBufferVector? {
        guard let vector = try table.vector(id, name, elementSize: 4) else { return nil }
        try charge(vector.count, size: 4, field: vector.path)
        return vector
    }

    /// The `[int]` in field `id` of `table`, or `nil` when absent.
    mutating func int32s(_ table: FlatBufferTable, _ id: Int, _ name: String) throws(ModelError) -> [Int32]? {
        guard let vector = try table.vector(id, name, elementSize: 4) else { return nil }
        try charge(vector.count, size: 4, field: vector.path)
        var values: [Int32] = []
        values.reserveCapacity(vector.count)
        for index in 0..<vector.count { values.append(try vector.int32(at: index)) }
        return values
    }

    /// The `[float]` in field `id` of `table`, or `nil` when absent.
    mutating func float32s(_ table: FlatBufferTable, _ id: Int, _ name: String) throws(ModelError) -> [Float]? {
        guard let vector = try table.vector(id, name, elementSize: 4) else { return nil }
        try charge(vector.count, size: 4, field: vector.path)
        var values: [Float] = []
        values.reserveCapacity(vector.count)
        for index in 0..<vector.count { values.append(try vector.float32(at: index)) }
        return values
    }

    /// The `[long]` in field `id` of `table`, or `nil` when absent.
    mutating func int64s(_ table: FlatBufferTable, _ id: Int, _ name: String) throws(ModelError) -> [Int64]? {
        guard let vector = try table.vector(id, name, elementSize: 8) else { return nil }
        try charge(vector.count, size: 8, field: vector.path)
        var values: [Int64] = []
        values.reserveCapacity(vector.count)
        for index in 0..<vector.count { values.append(try vector.int64(at: index)) }
        return values
    }

    /// The string in field `id` of `table`, or `nil` when absent.
    mutating func string(_ table: FlatBufferTable, _ id: Int, _ name: String) throws(ModelError) -> String? {
        guard let vector = try table.vector(id, name, elementSize: 1) else { return nil }
        try charge(vector.count, size: 1, field: vector.path)
        guard let text = reader.utf8String(in: vector.byteRange) else {
            throw .invalidUTF8(offset: vector.position, field: vector.path)
        }
        return text
    }

    /// The bytes of the `[ubyte]` in field `id` of `table`, or `nil` when absent. Nothing is copied.
    func byteRange(_ table: FlatBufferTable, _ id: Int, _ name: String) throws(ModelError) -> Range<Int>? {
        try table.vector(id, name, elementSize: 1)?.byteRange
    }

    /// The byte range of data stored outside the flatbuffer at `offset`/`size` (relative to the file start).
    ///
    /// - Throws: ``ModelError/dataOutOfBounds(offset:size:field:)`` when it does not lie inside the file.
    func externalRange(offset: UInt64, size: UInt64, field: FieldPath) throws(ModelError) -> Range<Int> {
        guard offset <= UInt64(reader.count), size <= UInt64(reader.count) - offset else {
            throw .dataOutOfBounds(offset: offset, size: size, field: field)
        }
        return Int(offset)..<Int(offset + size)
    }
}
