import PerchTFLite

/// The element types the interpreter can hold in its arena.
public enum ElementType: Equatable, Sendable, CustomStringConvertible {
    case int8
    case uint8
    case int16
    case int32
    case int64
    case float32
    case bool

    /// Maps a flatbuffer tensor type; `nil` for types the runtime does not handle (strings, complex, ...).
    public init?(_ type: TensorType) {
        switch type {
        case .int8: self = .int8
        case .uint8: self = .uint8
        case .int16: self = .int16
        case .int32: self = .int32
        case .int64: self = .int64
        case .float32: self = .float32
        case .bool: self = .bool
        default: return nil
        }
    }

    /// Bytes per element.
    public var byteCount: Int {
        switch self {
        case .int8, .uint8, .bool: return 1
        case .int16: return 2
        case .int32, .float32: return 4
        case .int64: return 8
        }
    }

    public var description: String {
        switch self {
        case .int8: return "int8"
        case .uint8: return "uint8"
        case .int16: return "int16"
        case .int32: return "int32"
        case .int64: return "int64"
        case .float32: return "float32"
        case .bool: return "bool"
        }
    }
}
