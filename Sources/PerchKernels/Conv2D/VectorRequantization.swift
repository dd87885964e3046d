// MARK: - Lane-wise requantization (exact SIMD form of MultiplyByQuantizedMultiplier)

/// SIMD requantization used by the optimized kernels; every lane equals
/// `clamp(FixedPoint.multiplyByQuantizedMultiplier(acc, multiplier, shift) + offset, min, max)`.
enum VectorRequantization {
    /// Requantizes eight accumulators with per-lane multipliers and shifts.
    ///
    /// Exactness notes: the multipliers are never negative (scales are validated), so gemmlowp's one
    /// saturating case (`Int32.min · Int32.min`) cannot occur. gemmlowp's
    /// `(p + nudge) / 2^31` (truncating, nudge `2^30` or `1 − 2^30` by the sign of `p`) equals
    /// `floor((p + 2^30) / 2^31)` for every `p`: for negative `p`, truncation is a ceiling and
    /// `ceil((p + 1 − 2^30) / 2^31) = floor((p + 1 − 2^30 + 2^31 − 1) / 2^31)`. That form needs no
    /// 64-bit lane comparisons, which vectorize poorly. `RoundingDivideByPOT` follows gemmlowp.
    @inline(__always)
    static func apply(
        _ acc: SIMD8<Int32>, multiplier: SIMD8<Int32>, shift: SIMD8<Int32>,
        offset: Int32, min lower: Int32, max upper: Int32
    ) -> SIMD8<Int32> {
        let zero = SIMD8<Int32>(repeating: 0)
        let one = SIMD8<Int32>(repeating: 1)
        let leftShift = shift.replacing(with: zero, where: shift .< zero)
        let rightShift = (zero &- shift).replacing(with: zero, where: shift .> zero)
        let x = acc &<< leftShift
        // SaturatingRoundingDoublingHighMul (never saturating here).
        let product = SIMD8<Int64>(truncatingIfNeeded: x) &* SIMD8<Int64>(truncatingIfNeeded: multiplier)
        let high = SIMD8<Int32>(truncatingIfNeeded: (product &+ SIMD8<Int64>(repeating: 1 << 30)) &>> 31)
        // RoundingDivideByPOT.
        let mask = (one &<< rightShift) &- one
        let remainder = high & mask
        let threshold = (mask &>> 1) &+ zero.replacing(with: one, where: high .< zero)
        var result = (high &>> rightShift) &+ zero.replacing(with: one, where: remainder .> threshold)
        result &+= SIMD8<Int32>(repeating: offset)
        result.clamp(lowerBound: SIMD8(repeating: lower), upperBound: SIMD8(repeating: upper))
        return result
    }
}
