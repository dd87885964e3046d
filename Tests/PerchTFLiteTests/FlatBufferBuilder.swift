// A minimal flatbuffer writer for tests: enough to build tiny `.tflite` files, valid or deliberately
// broken, and to know the byte offset of every table, field and vector in them.

/// A value to serialize: inline scalars, or tables/vectors/strings reached through an offset.
indirect enum FBValue {
    /// Little-endian bytes stored inline in the table.
    case scalar([UInt8])
    /// A table: field id → value. `label` records its position (and its fields' positions).
    case table([Int: FBValue], label: String?)
    /// A vector of scalars, each element given as its little-endian bytes. `claimedCount` overrides the
    /// length word (to build vectors that lie about their size).
    case vector(elements: [[UInt8]], elementSize: Int, claimedCount: UInt32?, label: String?)
    /// A vector of tables.
    case tableVector([FBValue], label: String?)
    /// A vector of `count` offsets that all point to the same table (an aliasing bomb).
    case aliasedTableVector(count: Int, FBValue)
    /// A string (raw bytes, so invalid UTF-8 is possible), NUL-terminated as flatbuffers writes it.
    case string([UInt8], label: String?)

    static func u8(_ value: UInt8) -> FBValue { .scalar([value]) }
    static func i8(_ value: Int8) -> FBValue { .scalar([UInt8(bitPattern: value)]) }
    static func bool(_ value: Bool) -> FBValue { .scalar([value ? 1 : 0]) }
    static func u32(_ value: UInt32) -> FBValue { .scalar(le(value)) }
    static func i32(_ value: Int32) -> FBValue { .scalar(le(UInt32(bitPattern: value))) }
    static func u64(_ value: UInt64) -> FBValue { .scalar(le(value)) }
    static func f32(_ value: Float) -> FBValue { .scalar(le(value.bitPattern)) }
    static func table(_ fields: [Int: FBValue]) -> FBValue { .table(fields, label: nil) }
    static func tables(_ elements: [FBValue]) -> FBValue { .tableVector(elements, label: nil) }
    static func str(_ text: String, label: String? = nil) -> FBValue { .string(Array(text.utf8), label: label) }
    static func ints(_ values: [Int32], label: String? = nil, claimedCount: UInt32? = nil) -> FBValue {
        .vector(
            elements: values.map { le(UInt32(bitPattern: $0)) }, elementSize: 4, claimedCount: claimedCount,
            label: label)
    }
    static func floats(_ values: [Float]) -> FBValue {
        .vector(elements: values.map { le($0.bitPattern) }, elementSize: 4, claimedCount: nil, label: nil)
    }
    static func longs(_ values: [Int64]) -> FBValue {
        .vector(elements: values.map { le(UInt64(bitPattern: $0)) }, elementSize: 8, claimedCount: nil, label: nil)
    }
    static func bytes(_ values: [UInt8], label: String? = nil) -> FBValue {
        .vector(elements: values.map { [$0] }, elementSize: 1, claimedCount: nil, label: label)
    }
}

/// Little-endian bytes of an integer.
func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    (0..<(T.bitWidth / 8)).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
}

/// Serializes ``FBValue`` trees front to back: a parent first, its children after it (flatbuffer offsets
/// are unsigned, so they must point forward), then the parent's offset fields are patched.
struct FlatBufferBuilder {
    private(set) var bytes: [UInt8] = []
    /// Positions of labelled objects (table start, or a vector/string's length word).
    private(set) var positions: [String: Int] = [:]
    /// Positions of the fields of labelled tables, keyed `"label.fieldId"`.
    private(set) var fieldPositions: [String: Int] = [:]
    /// Positions of the vtables of labelled tables.
    private(set) var vtablePositions: [String: Int] = [:]

    /// Builds a whole file: root offset, file identifier, root table.
    static func file(_ root: FBValue, identifier: String = "TFL3") -> FlatBufferBuilder {
        var builder = FlatBufferBuilder()
        builder.bytes = [0, 0, 0, 0] + Array(identifier.utf8)
        let rootPosition = builder.write(root)
        builder.patchOffset(at: 0, to: rootPosition)
        return builder
    }

    private mutating func align(_ alignment: Int, offset: Int = 0) {
        while (bytes.count + offset) % alignment != 0 { bytes.append(0) }
    }

    mutating func patch(_ value: [UInt8], at position: Int) {
        for (index, byte) in value.enumerated() { bytes[position + index] = byte }
    }

    private mutating func patchOffset(at position: Int, to target: Int) {
        patch(le(UInt32(target - position)), at: position)
    }

    /// Writes `value` and returns the position an offset to it must point at.
    private mutating func write(_ value: FBValue) -> Int {
        switch value {
        case .scalar:
            preconditionFailure("scalars are stored inline in tables")
        case .table(let fields, let label):
            return writeTable(fields, label: label)
        case .vector(let elements, let elementSize, let claimedCount, let label):
            // The elements must be aligned to their size; the length word sits just before them.
            align(max(4, elementSize), offset: 4)
            let position = bytes.count
            bytes += le(claimedCount ?? UInt32(elements.count))
            for element in elements { bytes += element }
            if let label { positions[label] = position }
            return position
        case .tableVector(let elements, let label):
            align(4)
            let position = bytes.count
            bytes += le(UInt32(elements.count))
            bytes += [UInt8](repeating: 0, count: 4 * elements.count)
            if let label { positions[label] = position }
            for (index, element) in elements.enumerated() {
                let target = write(element)
                patchOffset(at: position + 4 + 4 * index, to: target)
            }
            return position
        case .aliasedTableVector(let count, let element):
            align(4)
            let position = bytes.count
            bytes += le(UInt32(count))
            bytes += [UInt8](repeating: 0, count: 4 * count)
            let target = write(element)
            for index in 0..<count { patchOffset(at: position + 4 + 4 * index, to: target) }
            return position
        case .string(let text, let label):
            align(4)
            let position = bytes.count
            bytes += le(UInt32(text.count))
            bytes += text + [0]
            if let label { positions[label] = position }
            return position
        }
    }

    private mutating func writeTable(_ fields: [Int: FBValue], label: String?) -> Int {
        let ids = fields.keys.sorted()
        // Inline layout relative to the table start (which is 8-aligned): soffset, then the fields.
        var inline: [UInt8] = [0, 0, 0, 0]
        var slots = [UInt16](repeating: 0, count: (ids.last ?? -1) + 1)
        var deferred: [(at: Int, value: FBValue)] = []
        for id in ids {
            let value = fields[id]!
            let size: Int
            if case .scalar(let raw) = value { size = raw.count } else { size = 4 }
            while inline.count % size != 0 { inline.append(0) }
            slots[id] = UInt16(inline.count)
            if case .scalar(let raw) = value {
                inline += raw
            } else {
                deferred.append((inline.count, value))
                inline += [0, 0, 0, 0]
            }
        }
        while inline.count % 4 != 0 { inline.append(0) }
        align(2)
        let vtable = bytes.count
        bytes += le(UInt16(4 + 2 * slots.count))
        bytes += le(UInt16(inline.count))
        for slot in slots { bytes += le(slot) }
        align(8)
        let table = bytes.count
        inline.replaceSubrange(0..<4, with: le(Int32(table - vtable)))
        bytes += inline
        if let label {
            positions[label] = table
            vtablePositions[label] = vtable
            for id in ids { fieldPositions["\(label).\(id)"] = table + Int(slots[id]) }
        }
        for (at, child) in deferred {
            let target = write(child)
            patchOffset(at: table + at, to: target)
        }
        return table
    }
}
