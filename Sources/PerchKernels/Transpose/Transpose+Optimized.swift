/// TRANSPOSE of int8 data, optimized; bit-identical to ``transposeReference(_:input:output:)``.
///
/// The same walk over the output in row-major order, with the six extents and input strides held in
/// locals and unchecked pointer reads (sizes are checked once). A 4-D NCHW → NHWC input layout
/// conversion (MobileNet v2's first operator) spends most of its time in the innermost copy, whose
/// stride is the channel plane.
///
/// - Parameters:
///   - p: Prepared parameters.
///   - input: The input, `p.elementCount` elements.
///   - output: The output, same size.
/// - Precondition: The buffers have the prepared sizes.
public func transposeOptimized(_ p: TransposeParameters, input: Span<Int8>, output: inout MutableSpan<Int8>) {
    precondition(input.count == p.elementCount && output.count == p.elementCount)
    let e = p.outputExtents
    let s = p.inputStrides
    precondition(e.count == TransposeParameters.maxRank && s.count == TransposeParameters.maxRank)
    let (e0, e1, e2, e3, e4, e5) = (e[0], e[1], e[2], e[3], e[4], e[5])
    let (s0, s1, s2, s3, s4, s5) = (s[0], s[1], s[2], s[3], s[4], s[5])
    input.withUnsafeBufferPointer { inBuffer in
        output.withUnsafeMutableBufferPointer { outBuffer in
            guard let x = inBuffer.baseAddress, var out = outBuffer.baseAddress else { return }
            for i0 in 0..<e0 {
                for i1 in 0..<e1 {
                    for i2 in 0..<e2 {
                        for i3 in 0..<e3 {
                            for i4 in 0..<e4 {
                                let row = x + (i0 &* s0 &+ i1 &* s1 &+ i2 &* s2 &+ i3 &* s3 &+ i4 &* s4)
                                for i5 in 0..<e5 { out[i5] = row[i5 &* s5] }
                                out += e5
                            }
                        }
                    }
                }
            }
        }
    }
}
