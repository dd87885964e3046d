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
}
