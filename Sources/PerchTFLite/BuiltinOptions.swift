/// An operator's `builtin_options` union, decoded for the operators the runtime supports.
///
/// Every other member of the schema's union is kept as ``other(unionType:)`` (its table is still
/// structurally validated). A union type beyond the schema's last member is rejected by the reader with
/// ``ModelError/unknownUnionType(_:offset:field:)``. When the type is set but the table is missing, the
/// schema defaults are used, as the flatbuffers accessors of TFLite would.
public enum BuiltinOptions: Sendable, Equatable {
    /// No options (`NONE`, union type 0).
    case none
    /// `Conv2DOptions` (union type 1).
    case conv2D(Conv2DOptions)
    /// `DepthwiseConv2DOptions` (union type 2).
    case depthwiseConv2D(DepthwiseConv2DOptions)
    /// `FullyConnectedOptions` (union type 8).
    case fullyConnected(FullyConnectedOptions)
    /// `Pool2DOptions` (union type 5).
    case pool2D(Pool2DOptions)
    /// `AddOptions` (union type 11).
    case add(AddOptions)
    /// `MulOptions` (union type 21).
    case mul(MulOptions)
    /// `ConcatenationOptions` (union type 10).
    case concatenation(ConcatenationOptions)
    /// `ReshapeOptions` (union type 17).
    case reshape(ReshapeOptions)
    /// `SoftmaxOptions` (union type 9).
    case softmax(SoftmaxOptions)
    /// `LeakyReluOptions` (union type 75).
    case leakyRelu(LeakyReluOptions)
    /// `ResizeBilinearOptions` (union type 15).
    case resizeBilinear(ResizeBilinearOptions)
    /// `ReducerOptions` (union type 27).
    case reducer(ReducerOptions)
    /// Any other member of the union, e.g. `PadOptions` (22) or `TransposeOptions` (26).
    case other(unionType: UInt8)

    /// The number of members of `BuiltinOptions` in the schema (`RightShiftOptions` = 126 is the last).
    public static let lastKnownUnionType: UInt8 = 126

    /// The union type byte this value was decoded from.
    public var unionType: UInt8 {
        switch self {
        case .none: return 0
        case .conv2D: return 1
        case .depthwiseConv2D: return 2
        case .pool2D: return 5
        case .fullyConnected: return 8
        case .softmax: return 9
        case .concatenation: return 10
        case .add: return 11
        case .resizeBilinear: return 15
        case .reshape: return 17
        case .mul: return 21
        case .reducer: return 27
        case .leakyRelu: return 75
        case .other(let unionType): return unionType
        }
    }
}

extension ModelDecoder {
    /// Decodes `builtin_options_type` (field 3) and `builtin_options` (field 4) of an `Operator` table.
    mutating func builtinOptions(of table: FlatBufferTable) throws(ModelError) -> BuiltinOptions {
        let typeName = "builtin_options_type"
        guard let typeOffset = try table.fieldOffset(3, size: 1, name: typeName) else { return .none }
        let type = try table.uint8(3, typeName)
        guard type <= BuiltinOptions.lastKnownUnionType else {
            throw .unknownUnionType(type, offset: typeOffset, field: table.path.appending(typeName))
        }
        if type == 0 { return .none }
        let value = try table.table(4, "builtin_options")
        switch type {
        case 1: return .conv2D(try Conv2DOptions(table: value))
        case 2: return .depthwiseConv2D(try DepthwiseConv2DOptions(table: value))
        case 5: return .pool2D(try Pool2DOptions(table: value))
        case 8: return .fullyConnected(try FullyConnectedOptions(table: value))
        case 9: return .softmax(try SoftmaxOptions(table: value))
        case 10: return .concatenation(try ConcatenationOptions(table: value))
        case 11: return .add(try AddOptions(table: value))
        case 15: return .resizeBilinear(try ResizeBilinearOptions(table: value))
        case 17: return .reshape(try ReshapeOptions(table: value, decoder: &self))
        case 21: return .mul(try MulOptions(table: value))
        case 27: return .reducer(try ReducerOptions(table: value))
        case 75: return .leakyRelu(try LeakyReluOptions(table: value))
        default: return .other(unionType: type)
        }
    }
}
