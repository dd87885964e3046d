/// Shape and quantization checks shared by the prepare steps of the element-wise, activation and
/// data-movement kernels.
///
/// Every check throws ``KernelError``; none traps, because shapes and scales come from a model file.
enum ShapeCheck {
    /// The number of elements of `dims`.
    ///
    /// - Throws: ``KernelError/shapeMismatch(tensor:expected:actual:)`` for a negative dimension or an
    ///   element count that overflows `Int`.
    static func elementCount(_ dims: [Int], role: TensorRole) throws(KernelError) -> Int {
        var count = 1
        for dim in dims {
            guard dim >= 0 else { throw .shapeMismatch(tensor: role, expected: [], actual: dims) }
            let (product, overflow) = count.multipliedReportingOverflow(by: dim)
            guard !overflow else { throw .shapeMismatch(tensor: role, expected: [], actual: dims) }
            count = product
        }
        return count
    }

    /// Throws unless `actual == expected`.
    static func require(_ actual: [Int], equals expected: [Int], role: TensorRole) throws(KernelError) {
        guard actual == expected else { throw .shapeMismatch(tensor: role, expected: expected, actual: actual) }
    }

    /// Throws unless `dims.count` is in `range`.
    static func requireRank(_ dims: [Int], in range: ClosedRange<Int>, role: TensorRole) throws(KernelError) {
        guard range.contains(dims.count) else {
            throw .rankMismatch(
                tensor: role, expected: dims.count < range.lowerBound ? range.lowerBound : range.upperBound,
                actual: dims.count)
        }
    }

    /// `dims` padded with leading 1s to `rank` (TFLite `RuntimeShape::ExtendedShape`).
    ///
    /// - Precondition: `dims.count <= rank`.
    static func extended(_ dims: [Int], to rank: Int) -> [Int] {
        precondition(dims.count <= rank)
        return [Int](repeating: 1, count: rank - dims.count) + dims
    }

    /// Row-major strides of `dims`, in elements.
    static func strides(_ dims: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: dims.count)
        var running = 1
        for axis in (0..<dims.count).reversed() {
            strides[axis] = running
            running *= dims[axis]
        }
        return strides
    }

    /// Throws unless `scale` is finite and positive.
    static func requireScale(_ scale: Float, role: TensorRole) throws(KernelError) {
        guard scale.isFinite && scale > 0 else { throw .unsupportedQuantization(tensor: role) }
    }

    /// Throws unless `zeroPoint` is representable in int8.
    static func requireInt8ZeroPoint(_ zeroPoint: Int32, role: TensorRole) throws(KernelError) {
        guard zeroPoint >= -128 && zeroPoint <= 127 else { throw .unsupportedQuantization(tensor: role) }
    }

    /// Checks an int8 tensor's per-tensor quantization: a finite positive scale, an int8 zero point.
    static func requireInt8Quantization(scale: Float, zeroPoint: Int32, role: TensorRole) throws(KernelError) {
        try requireScale(scale, role: role)
        try requireInt8ZeroPoint(zeroPoint, role: role)
    }

    /// Clamps an `Int32` into int8 and converts.
    @inline(__always)
    static func clampToInt8(_ value: Int32) -> Int8 {
        Int8(truncatingIfNeeded: min(max(value, -128), 127))
    }
}
