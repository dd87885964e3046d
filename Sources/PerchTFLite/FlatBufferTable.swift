/// A validated view of one flatbuffer table: its vtable is inside the file and well formed.
///
/// Field reads look the field up in the vtable, check that it lies inside the table's inline data, and
/// return the schema default when the field is absent. Reads of offset fields (tables, vectors, strings)
/// follow the offset only after checking that its target is inside the file. All reads go through
/// ``ByteReader``.
struct FlatBufferTable {
    /// The file the table lives in.
    let reader: ByteReader
    /// Byte offset of the table (where its `soffset` to the vtable is stored).
    let position: Int
    /// Where the table sits in the model, for error messages.
    let path: FieldPath
    /// Byte offset of the vtable.
    private let vtable: Int
    /// Size of the vtable in bytes (4 + 2 × number of field slots).
    private let vtableSize: Int
    /// Size of the table's inline data in bytes, from its `soffset` on.
    private let inlineSize: Int

    /// Validates the table at `position` and its vtable.
    ///
    /// - Throws: ``ModelError/truncated(offset:needed:field:)`` when the table runs past the end of the
    ///   file, ``ModelError/invalidVTable(offset:field:)`` when its vtable is outside the file or malformed.
    init(reader: ByteReader, position: Int, path: FieldPath) throws(ModelError) {
        guard let soffset = reader.int32(at: position) else {
            throw .truncated(offset: position, needed: 4, field: path)
        }
        let (vtable, overflow) = position.subtractingReportingOverflow(Int(soffset))
        guard !overflow, let vtableSize = reader.uint16(at: vtable), let inlineSize = reader.uint16(at: vtable &+ 2),
            vtableSize >= 4, vtableSize % 2 == 0, reader.contains(offset: vtable, length: Int(vtableSize))
        else {
            throw .invalidVTable(offset: position, field: path)
        }
        guard inlineSize >= 4, reader.contains(offset: position, length: Int(inlineSize)) else {
            throw .truncated(offset: position, needed: Int(inlineSize), field: path)
        }
        self.reader = reader
        self.position = position
        self.path = path
        self.vtable = vtable
        self.vtableSize = Int(vtableSize)
        self.inlineSize = Int(inlineSize)
    }

    // MARK: - Field lookup

    /// The byte offset of field `id` (its index in the schema's table), or `nil` when the field is absent.
    ///
    /// - Throws: ``ModelError/fieldOutsideTable(offset:field:)`` when `size` bytes at the field's position
    ///   are not inside the table's inline data.
    func fieldOffset(_ id: Int, size: Int, name: String) throws(ModelError) -> Int? {
        let slot = 4 + 2 * id
        guard slot + 2 <= vtableSize else { return nil }
        guard let relative = reader.uint16(at: vtable + slot) else {
            throw .invalidVTable(offset: position, field: path)
        }
        if relative == 0 { return nil }
        // `position + inlineSize` is inside the file (checked in init), so no sum below overflows.
        guard Int(relative) + size <= inlineSize else {
            throw .fieldOutsideTable(offset: position + Int(relative), field: path.appending(name))
        }
        return position + Int(relative)
    }

    // MARK: - Scalars

    /// Field `id` as a `UInt8`, or `defaultValue` when absent.
    func uint8(_ id: Int, _ name: String, default defaultValue: UInt8 = 0) throws(ModelError) -> UInt8 {
        guard let at = try fieldOffset(id, size: 1, name: name) else { return defaultValue }
        guard let value = reader.uint8(at: at) else {
            throw .truncated(offset: at, needed: 1, field: path.appending(name))
        }
        return value
    }

    /// Field `id` as an `Int8`, or `defaultValue` when absent.
    func int8(_ id: Int, _ name: String, default defaultValue: Int8 = 0) throws(ModelError) -> Int8 {
        Int8(bitPattern: try uint8(id, name, default: UInt8(bitPattern: defaultValue)))
    }

    /// Field `id` as a `Bool` (any non-zero byte is `true`), or `defaultValue` when absent.
    func bool(_ id: Int, _ name: String, default defaultValue: Bool = false) throws(ModelError) -> Bool {
        try uint8(id, name, default: defaultValue ? 1 : 0) != 0
    }

    /// Field `id` as a `UInt32`, or `defaultValue` when absent.
    func uint32(_ id: Int, _ name: String, default defaultValue: UInt32 = 0) throws(ModelError) -> UInt32 {
        guard let at = try fieldOffset(id, size: 4, name: name) else { return defaultValue }
        guard let value = reader.uint32(at: at) else {
            throw .truncated(offset: at, needed: 4, field: path.appending(name))
        }
        return value
    }

    /// Field `id` as an `Int32`, or `defaultValue` when absent.
    func int32(_ id: Int, _ name: String, default defaultValue: Int32 = 0) throws(ModelError) -> Int32 {
        Int32(bitPattern: try uint32(id, name, default: UInt32(bitPattern: defaultValue)))
    }

    /// Field `id` as a `Float`, or `defaultValue` when absent.
    func float32(_ id: Int, _ name: String, default defaultValue: Float = 0) throws(ModelError) -> Float {
        Float(bitPattern: try uint32(id, name, default: defaultValue.bitPattern))
    }

    /// Field `id` as a `UInt64`, or `defaultValue` when absent.
    func uint64(_ id: Int, _ name: String, default defaultValue: UInt64 = 0) throws(ModelError) -> UInt64 {
        guard let at = try fieldOffset(id, size: 8, name: name) else { return defaultValue }
        guard let value = reader.uint64(at: at) else {
            throw .truncated(offset: at, needed: 8, field: path.appending(name))
        }
        return value
    }

    /// Field `id` as a schema `byte` enum, or `defaultValue` when absent.
    ///
    /// - Throws: ``ModelError/invalidEnumValue(_:offset:field:)`` when the byte is not a value of the enum.
    func enumValue<Value: RawRepresentable>(
        _ id: Int,
        _ name: String,
        default defaultValue: Value
    ) throws(ModelError) -> Value where Value.RawValue == Int8 {
        guard let at = try fieldOffset(id, size: 1, name: name) else { return defaultValue }
        guard let byte = reader.uint8(at: at) else {
            throw .truncated(offset: at, needed: 1, field: path.appending(name))
        }
        let raw = Int8(bitPattern: byte)
        guard let value = Value(rawValue: raw) else {
            throw .invalidEnumValue(Int64(raw), offset: at, field: path.appending(name))
        }
        return value
    }

    // MARK: - Offsets to tables, vectors and strings

    /// The byte offset that the `uoffset` field `id` points to, or `nil` when the field is absent.
    ///
    /// - Throws: ``ModelError/offsetOutOfBounds(offset:target:field:)`` when the offset is zero, does not
    ///   fit a signed 32-bit value (as the flatbuffers verifier requires) or points outside the file.
    func target(_ id: Int, _ name: String) throws(ModelError) -> Int? {
        guard let at = try fieldOffset(id, size: 4, name: name) else { return nil }
        return try reader.followOffset(at: at, field: path.appending(name))
    }

    /// The sub-table in field `id`, or `nil` when absent.
    func table(_ id: Int, _ name: String) throws(ModelError) -> FlatBufferTable? {
        guard let target = try target(id, name) else { return nil }
        return try FlatBufferTable(reader: reader, position: target, path: path.appending(name))
    }

    /// The vector in field `id` with elements of `elementSize` bytes, or `nil` when absent.
    ///
    /// - Throws: ``ModelError/vectorTooLong(offset:count:field:)`` when its length exceeds what the rest of
    ///   the file can hold — checked before anything is allocated.
    func vector(_ id: Int, _ name: String, elementSize: Int) throws(ModelError) -> FlatBufferVector? {
        guard let target = try target(id, name) else { return nil }
        return try FlatBufferVector(
            reader: reader, position: target, elementSize: elementSize, path: path.appending(name))
    }

    /// The string in field `id`, or `nil` when absent.
    ///
    /// The trailing NUL the flatbuffers writer adds is not required (TFLite Micro never checks it).
    /// - Throws: ``ModelError/invalidUTF8(offset:field:)`` when the bytes are not UTF-8.
    func string(_ id: Int, _ name: String) throws(ModelError) -> String? {
        guard let vector = try vector(id, name, elementSize: 1) else { return nil }
        guard let text = reader.utf8String(in: vector.byteRange) else {
            throw .invalidUTF8(offset: vector.position, field: path.appending(name))
        }
        return text
    }
}

extension ByteReader {
    /// Follows the flatbuffer `uoffset` stored at byte `at`.
    ///
    /// - Returns: The target byte offset, at least one byte of which is inside the file.
    /// - Throws: ``ModelError/truncated(offset:needed:field:)`` when the offset itself is not readable,
    ///   ``ModelError/offsetOutOfBounds(offset:target:field:)`` when it is zero, above `Int32.max`, or
    ///   points outside the file.
    func followOffset(at: Int, field: FieldPath) throws(ModelError) -> Int {
        guard let relative = uint32(at: at) else { throw .truncated(offset: at, needed: 4, field: field) }
        let (target, overflow) = at.addingReportingOverflow(Int(truncatingIfNeeded: relative))
        guard relative != 0, relative <= UInt32(Int32.max), !overflow, contains(offset: target, length: 1) else {
            throw .offsetOutOfBounds(offset: at, target: overflow ? Int.max : target, field: field)
        }
        return target
    }
}
