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
    ///
    /// `@_transparent` rather than `@inline(__always)`: in the large loop nests of the optimized
    /// kernels the latter was not honoured (a call per eight lanes, spilling the accumulators);
    /// inlining made MobileNet v2 about 4% faster.
    @_transparent
    static func apply(
        _ acc: SIMD8<Int32>, multiplier: SIMD8<Int32>, shift: SIMD8<Int32>,
        offset: Int32, min lower: Int32, max upper: Int32
    ) -> SIMD8<Int32> {
        LaneRequantizer(multiplier: multiplier, shift: shift, offset: offset, min: lower, max: upper).apply(acc)
    }
}

/// The per-lane constants of ``VectorRequantization/apply(_:multiplier:shift:offset:min:max:)`` for
/// eight output channels, derived once and applied to several pixels' accumulators.
///
/// Built in registers inside a kernel's loop: LLVM cannot hoist the derivation itself, as the
/// constants are reloaded after every output store it cannot prove does not alias them.
struct LaneRequantizer {
    /// Q0.31 multipliers.
    var multiplier: SIMD8<Int32>
    /// `max(shift, 0)`.
    var leftShift: SIMD8<Int32>
    /// `max(−shift, 0)`, the `RoundingDivideByPOT` exponent.
    var rightShift: SIMD8<Int32>
    /// `2^rightShift − 1`.
    var mask: SIMD8<Int32>
    /// `mask >> 1`, the rounding threshold of a non-negative value.
    var halfMask: SIMD8<Int32>
    /// Output zero point.
    var offset: SIMD8<Int32>
    /// Lower clamp.
    var lower: SIMD8<Int32>
    /// Upper clamp.
    var upper: SIMD8<Int32>

    /// Derives the constants from per-lane multipliers and shifts (positive: left).
    @_transparent
    init(multiplier: SIMD8<Int32>, shift: SIMD8<Int32>, offset: Int32, min lower: Int32, max upper: Int32) {
        let zero = SIMD8<Int32>(repeating: 0)
        let one = SIMD8<Int32>(repeating: 1)
        self.multiplier = multiplier
        leftShift = shift.replacing(with: zero, where: shift .< zero)
        rightShift = (zero &- shift).replacing(with: zero, where: shift .> zero)
        mask = (one &<< rightShift) &- one
        halfMask = mask &>> 1
        self.offset = SIMD8(repeating: offset)
        self.lower = SIMD8(repeating: lower)
        self.upper = SIMD8(repeating: upper)
    }

    /// `clamp(MultiplyByQuantizedMultiplier(acc) + offset, lower, upper)` lane by lane (see
    /// ``VectorRequantization`` for the exactness argument).
    @_transparent
    func apply(_ acc: SIMD8<Int32>) -> SIMD8<Int32> {
        let zero = SIMD8<Int32>(repeating: 0)
        let one = SIMD8<Int32>(repeating: 1)
        let x = acc &<< leftShift
        // SaturatingRoundingDoublingHighMul (never saturating here).
        let product = Lanes.widen(x) &* Lanes.widen(multiplier)
        let high = Lanes.narrow((product &+ SIMD8<Int64>(repeating: 1 << 30)) &>> 31)
        // RoundingDivideByPOT.
        let remainder = high & mask
        let threshold = halfMask &+ zero.replacing(with: one, where: high .< zero)
        var result = (high &>> rightShift) &+ zero.replacing(with: one, where: remainder .> threshold)
        result &+= offset
        // `clamp(lowerBound:upperBound:)` goes through non-inlined generic `pointwiseMin/Max`.
        result.replace(with: lower, where: result .< lower)
        result.replace(with: upper, where: result .> upper)
        return result
    }
}

// MARK: - Lane conversions that always inline

/// Lane-wise integer conversions written lane by lane.
///
/// The standard library's generic `SIMDn(truncatingIfNeeded:)` is specialized but often not inlined
/// in a large caller, which turns one `pmovsx` into a call that spills every accumulator (11% of
/// MobileNet v2's time in a profile). Built from scalars, LLVM folds these into single
/// sign-extend / truncate instructions.
enum Lanes {
    /// Lanes 0–7 of sixteen (`lowHalf` is a generic stdlib call that is not always inlined).
    @_transparent
    static func low(_ v: SIMD16<Int32>) -> SIMD8<Int32> {
        SIMD8(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7])
    }

    /// Lanes 8–15 of sixteen.
    @_transparent
    static func high(_ v: SIMD16<Int32>) -> SIMD8<Int32> {
        SIMD8(v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15])
    }

    /// Sixteen lanes from two halves (`init(lowHalf:highHalf:)` is not always inlined either).
    @_transparent
    static func join(_ low: SIMD8<Int32>, _ high: SIMD8<Int32>) -> SIMD16<Int32> {
        SIMD16(
            low[0], low[1], low[2], low[3], low[4], low[5], low[6], low[7], high[0], high[1], high[2], high[3],
            high[4], high[5], high[6], high[7])
    }

    /// Sign-extends eight `Int8` lanes to `Int16`.
    @inline(__always)
    static func widen(_ v: SIMD8<Int8>) -> SIMD8<Int16> {
        SIMD8(
            Int16(v[0]), Int16(v[1]), Int16(v[2]), Int16(v[3]), Int16(v[4]), Int16(v[5]), Int16(v[6]),
            Int16(v[7]))
    }

    /// Sign-extends eight `Int16` lanes to `Int32`.
    @inline(__always)
    static func widen(_ v: SIMD8<Int16>) -> SIMD8<Int32> {
        SIMD8(
            Int32(v[0]), Int32(v[1]), Int32(v[2]), Int32(v[3]), Int32(v[4]), Int32(v[5]), Int32(v[6]),
            Int32(v[7]))
    }

    /// Sign-extends eight `Int32` lanes to `Int64`.
    @inline(__always)
    static func widen(_ v: SIMD8<Int32>) -> SIMD8<Int64> {
        SIMD8(
            Int64(v[0]), Int64(v[1]), Int64(v[2]), Int64(v[3]), Int64(v[4]), Int64(v[5]), Int64(v[6]),
            Int64(v[7]))
    }

    /// Keeps the low 32 bits of eight `Int64` lanes.
    @inline(__always)
    static func narrow(_ v: SIMD8<Int64>) -> SIMD8<Int32> {
        SIMD8(
            Int32(truncatingIfNeeded: v[0]), Int32(truncatingIfNeeded: v[1]), Int32(truncatingIfNeeded: v[2]),
            Int32(truncatingIfNeeded: v[3]), Int32(truncatingIfNeeded: v[4]), Int32(truncatingIfNeeded: v[5]),
            Int32(truncatingIfNeeded: v[6]), Int32(truncatingIfNeeded: v[7]))
    }

    /// Keeps the low 8 bits of eight `Int32` lanes (callers pass values already clamped to int8).
    @inline(__always)
    static func narrow(_ v: SIMD8<Int32>) -> SIMD8<Int8> {
        SIMD8(
            Int8(truncatingIfNeeded: v[0]), Int8(truncatingIfNeeded: v[1]), Int8(truncatingIfNeeded: v[2]),
            Int8(truncatingIfNeeded: v[3]), Int8(truncatingIfNeeded: v[4]), Int8(truncatingIfNeeded: v[5]),
            Int8(truncatingIfNeeded: v[6]), Int8(truncatingIfNeeded: v[7]))
    }
}
