/// How two input shapes of rank ≤ 6 broadcast against each other, prepared once for ADD and MUL.
///
/// Mirrors TFLite Micro's `BroadcastBinaryFunction6DSlow` / `BroadcastBinaryOpSimple`: shapes are
/// right-aligned and padded with leading 1s to rank 6; along each axis the extents must be equal or
/// one of them 1, and an input with extent 1 is read with stride 0. Element-wise ops are order-free,
/// so visiting the output in row-major order gives exactly TFLite's result.
struct BinaryBroadcast: Sendable {
    /// The maximum rank TFLite Micro's broadcasting binary kernels accept.
    static let maxRank = 6

    /// The broadcast output shape, at the rank of the larger input.
    let outputShape: [Int]
    /// The output shape extended to rank 6.
    let extents: [Int]
    /// Element strides of input 1 along the 6 extended axes (0 where it broadcasts).
    let strides1: [Int]
    /// Element strides of input 2 along the 6 extended axes (0 where it broadcasts).
    let strides2: [Int]
    /// Whether the two inputs have different shapes after extension (TFLite's `need_broadcast`).
    let requiresBroadcast: Bool
    /// Number of output elements.
    let elementCount: Int

    /// Computes the broadcast of `shape1` and `shape2`.
    ///
    /// - Throws: ``KernelError/rankMismatch(tensor:expected:actual:)`` for a rank above 6,
    ///   ``KernelError/shapeMismatch(tensor:expected:actual:)`` for extents that do not broadcast.
    init(_ shape1: [Int], _ shape2: [Int]) throws(KernelError) {
        try ShapeCheck.requireRank(shape1, in: 0...Self.maxRank, role: .input(0))
        try ShapeCheck.requireRank(shape2, in: 0...Self.maxRank, role: .input(1))
        _ = try ShapeCheck.elementCount(shape1, role: .input(0))
        _ = try ShapeCheck.elementCount(shape2, role: .input(1))
        let rank = max(shape1.count, shape2.count)
        let a = ShapeCheck.extended(shape1, to: rank)
        let b = ShapeCheck.extended(shape2, to: rank)
        var output = [Int](repeating: 1, count: rank)
        for axis in 0..<rank {
            if a[axis] == b[axis] || b[axis] == 1 {
                output[axis] = a[axis]
            } else if a[axis] == 1 {
                output[axis] = b[axis]
            } else {
                throw .shapeMismatch(tensor: .input(1), expected: shape1, actual: shape2)
            }
        }
        outputShape = output
        requiresBroadcast = a != b
        elementCount = try ShapeCheck.elementCount(output, role: .output(0))
        let a6 = ShapeCheck.extended(a, to: Self.maxRank)
        let b6 = ShapeCheck.extended(b, to: Self.maxRank)
        extents = ShapeCheck.extended(output, to: Self.maxRank)
        let rawStrides1 = ShapeCheck.strides(a6)
        let rawStrides2 = ShapeCheck.strides(b6)
        var s1 = [Int](repeating: 0, count: Self.maxRank)
        var s2 = [Int](repeating: 0, count: Self.maxRank)
        for axis in 0..<Self.maxRank {
            s1[axis] = a6[axis] == 1 ? 0 : rawStrides1[axis]
            s2[axis] = b6[axis] == 1 ? 0 : rawStrides2[axis]
        }
        strides1 = s1
        strides2 = s2
    }
}
