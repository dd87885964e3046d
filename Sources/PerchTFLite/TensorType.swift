/// The element type of a tensor (`TensorType` in `schema.fbs`, a `byte` enum).
///
/// Only the values the schema defines exist: the reader rejects any other byte with
/// ``ModelError/invalidEnumValue(_:offset:field:)``.
public struct TensorType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The schema's numeric value.
    public let rawValue: Int8

    /// Creates a type from its schema value, or `nil` when the schema does not define `rawValue`.
    ///
    /// - Parameter rawValue: The `TensorType` byte from the model.
    public init?(rawValue: Int8) {
        guard rawValue >= 0, rawValue <= 18 else { return nil }
        self.rawValue = rawValue
    }

    /// Creates a type from a value known to be in the schema.
    private init(known rawValue: Int8) {
        self.rawValue = rawValue
    }

    /// The schema's name, e.g. `INT8`.
    public var description: String {
        switch rawValue {
        case 0: return "FLOAT32"
        case 1: return "FLOAT16"
        case 2: return "INT32"
        case 3: return "UINT8"
        case 4: return "INT64"
        case 5: return "STRING"
        case 6: return "BOOL"
        case 7: return "INT16"
        case 8: return "COMPLEX64"
        case 9: return "INT8"
        case 10: return "FLOAT64"
        case 11: return "COMPLEX128"
        case 12: return "UINT64"
        case 13: return "RESOURCE"
        case 14: return "VARIANT"
        case 15: return "UINT32"
        case 16: return "UINT16"
        case 17: return "INT4"
        case 18: return "BFLOAT16"
        default: return "TENSOR_TYPE_\(rawValue)"
        }
    }

    /// Bytes per element in a dense constant buffer, or `nil` when elements have no fixed byte size
    /// (`STRING`, `RESOURCE`, `VARIANT`, and `INT4`, which may be packed two per byte).
    public var byteSize: Int? {
        switch rawValue {
        case 0: return 4
        case 1: return 2
        case 2: return 4
        case 3: return 1
        case 4: return 8
        case 5: return nil
        case 6: return 1
        case 7: return 2
        case 8: return 8
        case 9: return 1
        case 10: return 8
        case 11: return 16
        case 12: return 8
        case 13: return nil
        case 14: return nil
        case 15: return 4
        case 16: return 2
        case 17: return nil
        case 18: return 2
        default: return nil
        }
    }
}

// MARK: - Named types (schema.fbs, in order)

extension TensorType {
    /// `FLOAT32` (0).
    public static let float32 = TensorType(known: 0)
    /// `FLOAT16` (1).
    public static let float16 = TensorType(known: 1)
    /// `INT32` (2).
    public static let int32 = TensorType(known: 2)
    /// `UINT8` (3).
    public static let uint8 = TensorType(known: 3)
    /// `INT64` (4).
    public static let int64 = TensorType(known: 4)
    /// `STRING` (5).
    public static let string = TensorType(known: 5)
    /// `BOOL` (6).
    public static let bool = TensorType(known: 6)
    /// `INT16` (7).
    public static let int16 = TensorType(known: 7)
    /// `COMPLEX64` (8).
    public static let complex64 = TensorType(known: 8)
    /// `INT8` (9).
    public static let int8 = TensorType(known: 9)
    /// `FLOAT64` (10).
    public static let float64 = TensorType(known: 10)
    /// `COMPLEX128` (11).
    public static let complex128 = TensorType(known: 11)
    /// `UINT64` (12).
    public static let uint64 = TensorType(known: 12)
    /// `RESOURCE` (13).
    public static let resource = TensorType(known: 13)
    /// `VARIANT` (14).
    public static let variant = TensorType(known: 14)
    /// `UINT32` (15).
    public static let uint32 = TensorType(known: 15)
    /// `UINT16` (16).
    public static let uint16 = TensorType(known: 16)
    /// `INT4` (17).
    public static let int4 = TensorType(known: 17)
    /// `BFLOAT16` (18).
    public static let bfloat16 = TensorType(known: 18)
}
