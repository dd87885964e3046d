/// An NHWC shape of rank 4, the layout every TFLite image kernel uses.
public struct Shape4: Equatable, Sendable, CustomStringConvertible {
    public var batch: Int
    public var height: Int
    public var width: Int
    public var depth: Int

    /// Creates a shape from its four dimensions.
    public init(batch: Int, height: Int, width: Int, depth: Int) {
        self.batch = batch
        self.height = height
        self.width = width
        self.depth = depth
    }

    /// Creates a shape from a dimension list of rank ≤ 4, padding leading dimensions with 1
    /// (TFLite `RuntimeShape::ExtendedShape(4, ...)`).
    ///
    /// - Throws: ``KernelError/rankMismatch(tensor:expected:actual:)`` for a rank above 4.
    public init(extending dims: [Int], role: TensorRole) throws(KernelError) {
        guard dims.count <= 4 else { throw .rankMismatch(tensor: role, expected: 4, actual: dims.count) }
        let padded = [Int](repeating: 1, count: 4 - dims.count) + dims
        self.init(batch: padded[0], height: padded[1], width: padded[2], depth: padded[3])
    }

    /// Number of elements.
    public var elementCount: Int { batch * height * width * depth }

    /// The dimensions as a list `[N, H, W, C]`.
    public var dims: [Int] { [batch, height, width, depth] }

    /// Flat row-major offset of `(b, y, x, c)`.
    @inlinable @inline(__always)
    public func offset(_ b: Int, _ y: Int, _ x: Int, _ c: Int) -> Int {
        ((b * height + y) * width + x) * depth + c
    }

    public var description: String { "[\(batch),\(height),\(width),\(depth)]" }
}

/// TFLite `TfLitePadding`.
public enum Padding: Equatable, Sendable {
    case same
    case valid
}

/// The activation a TFLite operator fuses into its output (`TfLiteFusedActivation`).
public enum FusedActivation: Equatable, Sendable {
    case none
    case relu
    case reluN1To1
    case relu6
    case tanh
    case signBit
}

/// TFLite `ComputeOutSize`: output extent along one axis for SAME or VALID padding.
public func computeOutputSize(
    padding: Padding, imageSize: Int, filterSize: Int, stride: Int, dilation: Int = 1
) -> Int {
    let effectiveFilter = (filterSize - 1) * dilation + 1
    if stride == 0 { return 0 }
    switch padding {
    case .same: return (imageSize + stride - 1) / stride
    case .valid: return (imageSize + stride - effectiveFilter) / stride
    }
}

/// TFLite `ComputePaddingWithOffset`: leading padding (and its odd remainder) along one axis.
public func computePadding(
    stride: Int, dilation: Int, inSize: Int, filterSize: Int, outSize: Int
) -> (padding: Int, offset: Int) {
    let effectiveFilter = (filterSize - 1) * dilation + 1
    var total = ((outSize - 1) * stride + effectiveFilter - inSize)
    total = total > 0 ? total : 0
    return (total / 2, total % 2)
}

/// TFLite `CalculateActivationRangeQuantized` for int8: the clamp range of a fused activation.
///
/// `relu` clamps below at the quantized 0, `relu6` to [q(0), q(6)], `reluN1To1` to [q(−1), q(1)];
/// each bound is intersected with [−128, 127]. Quantizing a bound rounds half away from zero
/// (`TfLiteRound(f / scale)`) in float, as TFLite does.
public func activationRangeInt8(
    _ activation: FusedActivation, outputScale: Float, outputZeroPoint: Int32
) throws(KernelError) -> (min: Int32, max: Int32) {
    let qmin: Int64 = -128
    let qmax: Int64 = 127
    // TFLite's `Quantize` refuses (TF_LITE_ENSURE) a bound whose quotient overflows int32; so do we,
    // with an error rather than a trap (a tiny output scale makes 6 / scale huge).
    func quantize(_ f: Float) throws(KernelError) -> Int64 {
        let quotient = (f / outputScale).rounded(.toNearestOrAwayFromZero)
        guard quotient.isFinite, quotient >= -2_147_483_648, quotient <= 2_147_483_520 else {
            throw .unsupportedQuantization(tensor: .output(0))
        }
        return Int64(outputZeroPoint) + Int64(quotient)
    }
    let range: (Int64, Int64)
    switch activation {
    case .none: range = (qmin, qmax)
    case .relu: range = (max(qmin, try quantize(0)), qmax)
    case .relu6: range = (max(qmin, try quantize(0)), min(qmax, try quantize(6)))
    case .reluN1To1: range = (max(qmin, try quantize(-1)), min(qmax, try quantize(1)))
    case .tanh, .signBit: throw .unsupportedParameter(.activation, value: activation == .tanh ? 4 : 5)
    }
    // A range that clamps everything is still a valid range; keep it ordered as TFLite's clamp sees it.
    return (Int32(clamping: range.0), Int32(clamping: range.1))
}
