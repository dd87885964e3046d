/// Int8 HARD_SWISH, TFLite reference (`reference_ops::HardSwish` with `HardSwishParams`).
///
/// Works in 16-bit fixed point: the offset input is shifted left by 7 ("hires"), multiplied by the
/// output multiplier (`SaturatingRoundingDoublingHighMul`, int16), and separately rescaled by the
/// reluish multiplier (saturating left shifts, or `RoundingDivideByPOT` for a negative exponent)
/// into [−1, 1], mapped to [0, 1] by `(v + 2^15) >> 1`. The two are multiplied with the truncating
/// `SaturatingDoublingHighMul`, rounded by the output exponent, offset and clamped to int8.
///
/// - Parameters:
///   - p: Prepared parameters.
///   - input: The input, `p.elementCount` elements.
///   - output: The output, same size.
/// - Precondition: The buffers have the prepared sizes.
public func hardSwishReference(_ p: HardSwishParameters, input: Span<Int8>, output: inout MutableSpan<Int8>) {
    precondition(input.count == p.elementCount && output.count == p.elementCount)
    for i in 0..<p.elementCount {
        let inputValue = Int16(truncatingIfNeeded: Int32(input[i]) - p.inputZeroPoint)
        let hires = inputValue &* (1 << 7)
        let preshiftOutput = HardSwishMath.saturatingRoundingDoublingHighMul(hires, p.outputMultiplier)
        var reluish = hires
        if p.reluishExponent > 0 {
            reluish = HardSwishMath.saturatingLeftShift(reluish, by: p.reluishExponent - 1)
        }
        reluish = HardSwishMath.saturatingRoundingDoublingHighMul(reluish, p.reluishMultiplier)
        if p.reluishExponent > 0 {
            reluish = HardSwishMath.saturatingLeftShift(reluish, by: 1)
        }
        if p.reluishExponent < 0 {
            reluish = HardSwishMath.roundingDivideByPOT(reluish, -p.reluishExponent)
        }
        reluish = Int16(truncatingIfNeeded: (Int32(reluish) + (1 << 15)) >> 1)
        let preshiftOutputValue = HardSwishMath.saturatingDoublingHighMul(reluish, preshiftOutput)
        var outputValue = HardSwishMath.roundingDivideByPOT(preshiftOutputValue, -p.outputExponent)
        outputValue = outputValue &+ Int16(truncatingIfNeeded: p.outputZeroPoint)
        output[i] = Int8(truncatingIfNeeded: min(max(outputValue, -128), 127))
    }
}
