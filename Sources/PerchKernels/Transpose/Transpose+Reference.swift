/// TRANSPOSE of int8 data, TFLite reference (`reference_ops::Transpose`, up to 6-D).
///
/// Visits the output in row-major order and reads input element
/// `Σ outIndex[i] · inputStride[permutation[i]]`. Values are copied unchanged.
///
/// - Parameters:
///   - p: Prepared parameters.
///   - input: The input, `p.elementCount` elements.
///   - output: The output, same size.
/// - Precondition: The buffers have the prepared sizes.
public func transposeReference(_ p: TransposeParameters, input: Span<Int8>, output: inout MutableSpan<Int8>) {
    precondition(input.count == p.elementCount && output.count == p.elementCount)
    let e = p.outputExtents
    let s = p.inputStrides
    var outIndex = 0
    for i0 in 0..<e[0] {
        for i1 in 0..<e[1] {
            for i2 in 0..<e[2] {
                for i3 in 0..<e[3] {
                    for i4 in 0..<e[4] {
                        let base = i0 * s[0] + i1 * s[1] + i2 * s[2] + i3 * s[3] + i4 * s[4]
                        for i5 in 0..<e[5] {
                            output[outIndex] = input[base + i5 * s[5]]
                            outIndex += 1
                        }
                    }
                }
            }
        }
    }
}
