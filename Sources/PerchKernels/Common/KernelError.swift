/// Why a kernel refused its parameters while preparing (TFLite Micro's `Prepare` failures).
///
/// Kernels validate everything once, when parameters are prepared; evaluation then never fails.
/// The payloads say which tensor or parameter is wrong, never a free-form string.
public enum KernelError: Error, Equatable, Sendable {
    /// A tensor's shape does not fit the operator.
    case shapeMismatch(tensor: TensorRole, expected: [Int], actual: [Int])
    /// A tensor has the wrong number of dimensions.
    case rankMismatch(tensor: TensorRole, expected: Int, actual: Int)
    /// A tensor's quantization is not what the kernel supports (e.g. a non-positive scale,
    /// per-channel scales whose count does not match, a zero point that must be 0).
    case unsupportedQuantization(tensor: TensorRole)
    /// An operator parameter is out of the supported range.
    case unsupportedParameter(KernelParameter, value: Int)
}

/// Which tensor of an operator an error refers to.
public enum TensorRole: Equatable, Sendable {
    case input(Int)
    case filter
    case bias
    case output(Int)
}

/// Operator parameters a kernel may refuse.
public enum KernelParameter: Equatable, Sendable {
    case stride
    case dilation
    case depthMultiplier
    case filterSize
    case axis
    case padding
    case activation
    case beta
    case alpha
    case blockShape
    case crops
    case permutation
    case multiplier
    case count
    case alignCorners
}

extension KernelError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .shapeMismatch(let tensor, let expected, let actual):
            return "\(tensor) has shape \(formatDims(actual)), expected \(formatDims(expected))"
        case .rankMismatch(let tensor, let expected, let actual):
            return "\(tensor) has rank \(actual), expected \(expected)"
        case .unsupportedQuantization(let tensor):
            return "\(tensor) has unsupported quantization"
        case .unsupportedParameter(let parameter, let value):
            return "unsupported \(parameter) value \(value)"
        }
    }
}

extension TensorRole: CustomStringConvertible {
    public var description: String {
        switch self {
        case .input(let index): return "input \(index)"
        case .filter: return "filter"
        case .bias: return "bias"
        case .output(let index): return "output \(index)"
        }
    }
}

extension KernelParameter: CustomStringConvertible {
    public var description: String {
        switch self {
        case .stride: return "stride"
        case .dilation: return "dilation"
        case .depthMultiplier: return "depth multiplier"
        case .filterSize: return "filter size"
        case .axis: return "axis"
        case .padding: return "padding"
        case .activation: return "fused activation"
        case .beta: return "beta"
        case .alpha: return "alpha"
        case .blockShape: return "block shape"
        case .crops: return "crops"
        case .permutation: return "permutation"
        case .multiplier: return "multiplier"
        case .count: return "count"
        case .alignCorners: return "align_corners with half_pixel_centers"
        }
    }
}

/// Formats dimensions as `[1,96,96,1]` (Embedded Swift has no reflection-based array description).
public func formatDims<T: BinaryInteger>(_ dims: [T]) -> String {
    var text = "["
    for (index, dim) in dims.enumerated() {
        if index > 0 { text += "," }
        text += String(dim)
    }
    return text + "]"
}
