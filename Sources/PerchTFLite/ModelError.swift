/// Why a `.tflite` file was rejected.
///
/// A model is untrusted input, so the reader never traps on malformed bytes: every problem is one of
/// these cases. Payloads say what is wrong and where — a byte offset into the file where one exists, and
/// the ``FieldPath`` of the table and field (e.g. `Model.subgraphs[0].tensors[33].quantization.scale`).
public enum ModelError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Reading `needed` bytes at `offset` for `field` would run past the end of the file.
    case truncated(offset: Int, needed: Int, field: FieldPath)
    /// Bytes 4..<8 are not the flatbuffer file identifier `TFL3`; `found` holds what is there.
    case badFileIdentifier(found: [UInt8])
    /// `Model.version` is not 3, the only schema version TFLite and TFLite Micro accept.
    case unsupportedSchemaVersion(UInt32)
    /// The offset stored at byte `offset` points to `target`, outside the file (or is zero or negative).
    case offsetOutOfBounds(offset: Int, target: Int, field: FieldPath)
    /// The vtable of the table at byte `offset` is outside the file or malformed (size odd or below 4).
    case invalidVTable(offset: Int, field: FieldPath)
    /// The vtable puts `field` at byte `offset`, outside its table's inline data.
    case fieldOutsideTable(offset: Int, field: FieldPath)
    /// The vector at byte `offset` claims `count` elements, more than the bytes left in the file hold.
    case vectorTooLong(offset: Int, count: Int, field: FieldPath)
    /// A field that TFLite requires is absent.
    case missingField(FieldPath)
    /// The union type byte at `offset` is not a member of the schema's union.
    case unknownUnionType(UInt8, offset: Int, field: FieldPath)
    /// The enum value at `offset` is not one the schema defines.
    case invalidEnumValue(Int64, offset: Int, field: FieldPath)
    /// The string at byte `offset` is not valid UTF-8.
    case invalidUTF8(offset: Int, field: FieldPath)
    /// A static shape has a negative dimension.
    case negativeDimension(Int32, field: FieldPath)
    /// A tensor index (subgraph input/output, operator input/output) is not in `0..<count`
    /// (operator inputs may also be -1, "optional input absent").
    case tensorIndexOutOfRange(index: Int32, count: Int, field: FieldPath)
    /// `Tensor.buffer` is not an index into `Model.buffers`.
    case bufferIndexOutOfRange(index: UInt32, count: Int, field: FieldPath)
    /// `Operator.opcode_index` is not an index into `Model.operator_codes`.
    case operatorCodeIndexOutOfRange(index: UInt32, count: Int, field: FieldPath)
    /// Data stored outside the flatbuffer (`Buffer.offset`/`size`, large custom options) lies outside the file.
    case dataOutOfBounds(offset: UInt64, size: UInt64, field: FieldPath)
    /// A constant tensor holds `actual` bytes of data, but its shape and type need `expected`.
    case dataSizeMismatch(expected: Int, actual: Int, field: FieldPath)
    /// The element count of a shape overflows `Int`.
    case elementCountOverflow(field: FieldPath)
    /// A quantization has `scales` scales but `zeroPoints` zero points (both non-empty and different).
    case quantizationCountMismatch(scales: Int, zeroPoints: Int, field: FieldPath)
    /// Decoding would materialize more values than the file size allows; the file aliases the same
    /// vectors or tables many times (a decompression-bomb pattern no converter writes).
    case decodeLimitExceeded(field: FieldPath)
    /// A typed accessor was asked for values of a tensor of another type.
    case tensorTypeMismatch(expected: TensorType, actual: TensorType, field: FieldPath)
    /// A typed accessor was asked for the values of a tensor that has no constant data.
    case missingData(FieldPath)

    /// One human-readable line describing the error.
    public var description: String {
        switch self {
        case .truncated(let offset, let needed, let field):
            return "\(field): truncated file: \(needed) bytes needed at offset \(offset)"
        case .badFileIdentifier(let found):
            return "Model: file identifier is \(found), expected \"TFL3\" at bytes 4..<8"
        case .unsupportedSchemaVersion(let version):
            return "Model.version: schema version \(version) is not supported (expected 3)"
        case .offsetOutOfBounds(let offset, let target, let field):
            return "\(field): offset at byte \(offset) points to \(target), outside the file"
        case .invalidVTable(let offset, let field):
            return "\(field): table at byte \(offset) has an invalid vtable"
        case .fieldOutsideTable(let offset, let field):
            return "\(field): field at byte \(offset) lies outside its table"
        case .vectorTooLong(let offset, let count, let field):
            return "\(field): vector at byte \(offset) claims \(count) elements, more than the file holds"
        case .missingField(let field):
            return "\(field): required field is missing"
        case .unknownUnionType(let type, let offset, let field):
            return "\(field): unknown union type \(type) at byte \(offset)"
        case .invalidEnumValue(let value, let offset, let field):
            return "\(field): invalid enum value \(value) at byte \(offset)"
        case .invalidUTF8(let offset, let field):
            return "\(field): string at byte \(offset) is not valid UTF-8"
        case .negativeDimension(let dimension, let field):
            return "\(field): negative dimension \(dimension)"
        case .tensorIndexOutOfRange(let index, let count, let field):
            return "\(field): tensor index \(index) is out of range (subgraph has \(count) tensors)"
        case .bufferIndexOutOfRange(let index, let count, let field):
            return "\(field): buffer index \(index) is out of range (model has \(count) buffers)"
        case .operatorCodeIndexOutOfRange(let index, let count, let field):
            return "\(field): operator code index \(index) is out of range (model has \(count) operator codes)"
        case .dataOutOfBounds(let offset, let size, let field):
            return "\(field): \(size) bytes of data at offset \(offset) lie outside the file"
        case .dataSizeMismatch(let expected, let actual, let field):
            return "\(field): tensor data has \(actual) bytes, shape and type need \(expected)"
        case .elementCountOverflow(let field):
            return "\(field): element count overflows"
        case .quantizationCountMismatch(let scales, let zeroPoints, let field):
            return "\(field): \(scales) scales but \(zeroPoints) zero points"
        case .decodeLimitExceeded(let field):
            return "\(field): decoded size exceeds what the file size allows (aliased data)"
        case .tensorTypeMismatch(let expected, let actual, let field):
            return "\(field): tensor type is \(actual), expected \(expected)"
        case .missingData(let field):
            return "\(field): tensor has no constant data"
        }
    }
}
