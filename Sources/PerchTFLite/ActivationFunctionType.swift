/// A fused activation applied to an operator's output (`ActivationFunctionType` in `schema.fbs`).
public enum ActivationFunctionType: Int8, Sendable, CaseIterable, CustomStringConvertible {
    /// `NONE`.
    case none = 0
    /// `RELU`: clamp below at 0.
    case relu = 1
    /// `RELU_N1_TO_1`: clamp to [-1, 1].
    case reluN1To1 = 2
    /// `RELU6`: clamp to [0, 6].
    case relu6 = 3
    /// `TANH`.
    case tanh = 4
    /// `SIGN_BIT`.
    case signBit = 5

    /// The schema's name, e.g. `RELU6`.
    public var description: String {
        switch self {
        case .none: return "NONE"
        case .relu: return "RELU"
        case .reluN1To1: return "RELU_N1_TO_1"
        case .relu6: return "RELU6"
        case .tanh: return "TANH"
        case .signBit: return "SIGN_BIT"
        }
    }
}
