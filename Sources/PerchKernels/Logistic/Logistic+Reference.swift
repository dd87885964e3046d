/// Int8 LOGISTIC, TFLite Micro reference (`reference_integer_ops::Logistic`).
///
/// For each offset input `x = q − zp`: `x ≤ −radius` gives −128, `x ≥ radius` gives 127; otherwise
/// `x` is rescaled into Q4.27 with `MultiplyByQuantizedMultiplier` (double rounding), passed through
/// gemmlowp `logistic`, and the Q0.31 result is rounded to Q8 with `RoundingDivideByPOT(·, 23)`
/// (ties away from zero), shifted by −128 and clamped to int8.
///
/// - Parameters:
///   - p: Prepared parameters.
///   - input: The input, `p.elementCount` elements.
///   - output: The output, same size.
/// - Precondition: The buffers have the prepared sizes.
public func logisticReference(_ p: LogisticParameters, input: Span<Int8>, output: inout MutableSpan<Int8>) {
    precondition(input.count == p.elementCount && output.count == p.elementCount)
    for i in 0..<p.elementCount {
        let x = Int32(input[i]) - p.inputZeroPoint
        if x <= -p.inputRangeRadius {
            output[i] = Int8.min
        } else if x >= p.inputRangeRadius {
            output[i] = Int8.max
        } else {
            let inputInQ4 = FixedPoint.multiplyByQuantizedMultiplier(x, p.inputMultiplier, shift: p.inputLeftShift)
            let outputInQ0 = FixedPoint.logistic(inputInQ4, integerBits: 4)
            let outputInQ23 = FixedPoint.roundingDivideByPOT(outputInQ0, 31 - 8)
            output[i] = ShapeCheck.clampToInt8(outputInQ23 - 128)
        }
    }
}
