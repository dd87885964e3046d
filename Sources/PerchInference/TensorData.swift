/// The values of one tensor, by element type.
public enum TensorData: Equatable, Sendable {
    case int8([Int8])
    case uint8([UInt8])
    case int32([Int32])
    case float32([Float])

    /// Number of elements.
    public var count: Int {
        switch self {
        case .int8(let values): return values.count
        case .uint8(let values): return values.count
        case .int32(let values): return values.count
        case .float32(let values): return values.count
        }
    }

    /// The element type of the values.
    public var elementType: ElementType {
        switch self {
        case .int8: return .int8
        case .uint8: return .uint8
        case .int32: return .int32
        case .float32: return .float32
        }
    }
}
