/// Padding of a convolution or pooling window (`Padding` in `schema.fbs`).
public enum Padding: Int8, Sendable, CaseIterable, CustomStringConvertible {
    /// `SAME`: pad so that the output size is `ceil(input / stride)`.
    case same = 0
    /// `VALID`: no padding; the window stays inside the input.
    case valid = 1

    /// The schema's name, e.g. `SAME`.
    public var description: String {
        switch self {
        case .same: return "SAME"
        case .valid: return "VALID"
        }
    }
}
