/// Int8 MUL, TFLite Micro reference (`reference_integer_ops::Mul` / `BroadcastMul6DSlow`).
///
/// Each output element is `zp_out + MultiplyByQuantizedMultiplier((x − zp1)·(y − zp2), M, shift)`
/// (gemmlowp double rounding, ties away from zero), clamped to the activation range. Layout is
/// row-major; broadcast inputs are re-read with stride 0.
///
/// - Parameters:
///   - p: Prepared parameters.
///   - input1: Input 0, `p.inputElementCounts.0` elements.
///   - input2: Input 1, `p.inputElementCounts.1` elements.
///   - output: The output, `p.outputElementCount` elements.
/// - Precondition: The buffers have the prepared sizes.
public func mulReference(
    _ p: MulParameters, input1: Span<Int8>, input2: Span<Int8>, output: inout MutableSpan<Int8>
) {
    precondition(input1.count == p.inputElementCounts.0 && input2.count == p.inputElementCounts.1)
    precondition(output.count == p.outputElementCount)
    let b = p.broadcast
    if !b.requiresBroadcast {
        for i in 0..<p.outputElementCount {
            output[i] = p.mul(input1[i], input2[i])
        }
        return
    }
    let e = b.extents
    let s1 = b.strides1
    let s2 = b.strides2
    var outIndex = 0
    for i0 in 0..<e[0] {
        for i1 in 0..<e[1] {
            for i2 in 0..<e[2] {
                for i3 in 0..<e[3] {
                    for i4 in 0..<e[4] {
                        for i5 in 0..<e[5] {
                            let a = i0 * s1[0] + i1 * s1[1] + i2 * s1[2] + i3 * s1[3] + i4 * s1[4] + i5 * s1[5]
                            let c = i0 * s2[0] + i1 * s2[1] + i2 * s2[2] + i3 * s2[3] + i4 * s2[4] + i5 * s2[5]
                            output[outIndex] = p.mul(input1[a], input2[c])
                            outIndex += 1
                        }
                    }
                }
            }
        }
    }
}
