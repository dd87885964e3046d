/// Int8 MEAN, TFLite reference (`QuantizedMeanOrSum`, as TFLite Micro runs it; see
/// ``MeanParameters``).
///
/// Each output element sums its reduced input elements in int32 (wrapping, as TFLite's
/// `AddTensorValuesWithExpectedOverflow`) and becomes
/// `clamp(zp_out + MultiplyByQuantizedMultiplier(sum − zp_in · count, M', shift'), −128, 127)`
/// (gemmlowp double rounding, ties away from zero). Empty reductions output 0, as TFLite leaves them.
///
/// - Parameters:
///   - p: Prepared parameters.
///   - input: The input, `p.inputElementCount` elements, row-major.
///   - output: The output, `p.outputElementCount` elements.
/// - Precondition: The buffers have the prepared sizes.
public func meanReference(_ p: MeanParameters, input: Span<Int8>, output: inout MutableSpan<Int8>) {
    precondition(input.count == p.inputElementCount && output.count == p.outputElementCount)
    let o = p.outerExtents
    let s = p.strides
    var outIndex = 0
    for i0 in 0..<o[0] {
        for i1 in 0..<o[1] {
            for i2 in 0..<o[2] {
                for i3 in 0..<o[3] {
                    for i4 in 0..<o[4] {
                        for i5 in 0..<o[5] {
                            let base = i0 * s[0] + i1 * s[1] + i2 * s[2] + i3 * s[3] + i4 * s[4] + i5 * s[5]
                            output[outIndex] = meanFinish(p, sum: meanReducedSum(p, input: input, base: base))
                            outIndex += 1
                        }
                    }
                }
            }
        }
    }
}

/// The int32 (wrapping) sum of the reduced elements starting at `base`.
@inline(__always)
func meanReducedSum(_ p: MeanParameters, input: Span<Int8>, base: Int) -> Int32 {
    let r = p.innerExtents
    let s = p.strides
    var sum: Int32 = 0
    for j0 in 0..<r[0] {
        for j1 in 0..<r[1] {
            for j2 in 0..<r[2] {
                for j3 in 0..<r[3] {
                    for j4 in 0..<r[4] {
                        let row = base + j0 * s[0] + j1 * s[1] + j2 * s[2] + j3 * s[3] + j4 * s[4]
                        for j5 in 0..<r[5] {
                            sum = sum &+ Int32(input[row + j5 * s[5]])
                        }
                    }
                }
            }
        }
    }
    return sum
}

/// Turns one reduced sum into the output value.
@inline(__always)
func meanFinish(_ p: MeanParameters, sum: Int32) -> Int8 {
    guard p.reducedCount > 0 else { return 0 }
    let shiftedSum = Int32(truncatingIfNeeded: Int64(sum) - Int64(p.inputZeroPoint) * Int64(p.reducedCount))
    return ShapeCheck.clampToInt8(p.multiplier.apply(shiftedSum) + p.outputZeroPoint)
}
