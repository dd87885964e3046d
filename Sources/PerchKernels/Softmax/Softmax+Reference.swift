/// Int8 → int8 SOFTMAX, TFLite reference (`reference_ops::Softmax`, the gemmlowp fixed-point path
/// TFLite Micro runs for int8).
///
/// Per row of the last axis: find the maximum; for each element whose difference `d` from it is
/// ≥ `diffMin`, rescale `d` into Q5.26 (`MultiplyByQuantizedMultiplierGreaterThanOne`), take
/// gemmlowp `exp_on_negative_values`, and accumulate the exponentials in Q12.19 (each rounded with
/// `RoundingDivideByPOT(·, 12)`). The reciprocal of the sum (`GetReciprocal`) times each exponential
/// is rounded by `RoundingDivideByPOT(·, numBitsOverUnit + 23)`, shifted by −128 and clamped;
/// elements below `diffMin` output −128. Where TFLite has undefined behaviour (a sum of
/// exponentials of 512 or more, i.e. more than 512 near-maximal elements in a row, where gemmlowp
/// asserts on a shift above 31), this kernel returns the exactly rounded value, −128.
///
/// - Parameters:
///   - p: Prepared parameters.
///   - input: The input, `p.outerSize · p.depth` elements, row-major.
///   - output: The output, same size.
/// - Precondition: The buffers have the prepared sizes.
public func softmaxReference(_ p: SoftmaxParameters, input: Span<Int8>, output: inout MutableSpan<Int8>) {
    precondition(input.count == p.outerSize * p.depth && output.count == input.count)
    let accumulationIntegerBits = 12
    let scaledDiffIntegerBits = 5
    let depth = p.depth
    for row in 0..<p.outerSize {
        let base = row * depth
        var maxInRow = Int8.min
        for c in 0..<depth { maxInRow = max(maxInRow, input[base + c]) }

        var sumOfExps: Int32 = 0  // Q12.19
        for c in 0..<depth {
            let diff = Int32(input[base + c]) - Int32(maxInRow)
            if diff >= p.diffMin {
                let rescaled = FixedPoint.multiplyByQuantizedMultiplierGreaterThanOne(
                    diff, p.inputMultiplier, leftShift: p.inputLeftShift
                )
                let exp = FixedPoint.expOnNegativeValues(rescaled, integerBits: scaledDiffIntegerBits)
                sumOfExps =
                    sumOfExps &+ FixedPoint.rescale(exp, fromIntegerBits: 0, toIntegerBits: accumulationIntegerBits)
            }
        }

        let (shiftedScale, numBitsOverUnit) = FixedPoint.reciprocal(sumOfExps, integerDigits: accumulationIntegerBits)
        for c in 0..<depth {
            let diff = Int32(input[base + c]) - Int32(maxInRow)
            if diff >= p.diffMin {
                let rescaled = FixedPoint.multiplyByQuantizedMultiplierGreaterThanOne(
                    diff, p.inputMultiplier, leftShift: p.inputLeftShift
                )
                let exp = FixedPoint.expOnNegativeValues(rescaled, integerBits: scaledDiffIntegerBits)
                let product = FixedPoint.saturatingRoundingDoublingHighMul(shiftedScale, exp)
                let exponent = numBitsOverUnit + 31 - 8
                // A sum of exponentials ≥ 512 asks for a shift of 32 or more: gemmlowp asserts (TFLite
                // Micro aborts) and is undefined without asserts. The exact quotient of a non-negative
                // Q0.31 product by 2^32 or more is below 1/2, so it rounds to 0 (output −128).
                let unsaturated = exponent > 31 ? 0 : FixedPoint.roundingDivideByPOT(product, Int32(exponent))
                output[base + c] = ShapeCheck.clampToInt8(unsaturated - 128)
            } else {
                output[base + c] = Int8.min
            }
        }
    }
}
