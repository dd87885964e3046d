/// Prepared parameters of the `TRANSPOSE` operator (TFLite builtin TRANSPOSE), for int8 data.
///
/// TFLite's `TransposePrepare`: the permutation is a constant int32 tensor with one entry per input
/// axis, each axis exactly once; output axis `i` is input axis `permutation[i]`. Ranks up to 6 are
/// accepted (TFLite's limit); the pinned TFLite Micro build refuses ranks outside 1–5, where the
/// result here is still the unambiguous transpose.
public struct TransposeParameters: Sendable {
    /// The resolved permutation (each input axis exactly once).
    public let permutation: [Int]
    /// Number of elements.
    public let elementCount: Int
    /// Output extents, extended to rank 6.
    let outputExtents: [Int]
    /// For each extended output axis, the input stride it walks.
    let inputStrides: [Int]

    /// The most dimensions this kernel handles (TFLite's reference transpose limit).
    static let maxRank = 6

    /// Prepares a TRANSPOSE.
    ///
    /// - Parameters:
    ///   - inputShape: Input shape, rank ≤ 6.
    ///   - permutation: The constant permutation tensor.
    ///   - outputShape: The model's output shape; must equal `inputShape` permuted.
    /// - Throws: ``KernelError`` for a rank above 6, a permutation that is not one of `0..<rank`, or an
    ///   inconsistent output shape.
    public init(inputShape: [Int], permutation: [Int32], outputShape: [Int]) throws(KernelError) {
        try ShapeCheck.requireRank(inputShape, in: 0...Self.maxRank, role: .input(0))
        elementCount = try ShapeCheck.elementCount(inputShape, role: .input(0))
        let rank = inputShape.count
        guard permutation.count == rank else { throw .unsupportedParameter(.permutation, value: permutation.count) }
        var seen = [Bool](repeating: false, count: rank)
        var perm: [Int] = []
        for raw in permutation {
            let axis = Int(raw)
            guard axis >= 0 && axis < rank && !seen[axis] else {
                throw .unsupportedParameter(.permutation, value: axis)
            }
            seen[axis] = true
            perm.append(axis)
        }
        var expected: [Int] = []
        for axis in perm { expected.append(inputShape[axis]) }
        try ShapeCheck.require(outputShape, equals: expected, role: .output(0))
        self.permutation = perm
        let inStrides = ShapeCheck.strides(inputShape)
        let pad = Self.maxRank - rank
        outputExtents = ShapeCheck.extended(outputShape, to: Self.maxRank)
        var strides = [Int](repeating: 0, count: Self.maxRank)
        for i in 0..<rank { strides[pad + i] = inStrides[perm[i]] }
        inputStrides = strides
    }
}
