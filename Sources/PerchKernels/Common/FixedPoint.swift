// MARK: - gemmlowp / TFLite fixed-point primitives
//
// These are the integer primitives every quantized kernel is built from. They follow gemmlowp's
// `fixedpoint.h` and TFLite's `common.h` bit for bit, including their tie-breaking rules, because
// bit-exactness with TFLite Micro's reference kernels depends on them.

/// Namespace for gemmlowp-style fixed-point arithmetic on `Int32` (Q0.31 multipliers).
public enum FixedPoint {
    /// gemmlowp `SaturatingRoundingDoublingHighMul`: the high 32 bits of `2·a·b`, rounded to nearest.
    ///
    /// Ties round toward +∞, not away from zero: the nudge is `2^30` for non-negative products and
    /// `1 − 2^30` for negative ones and the division truncates toward zero, which equals
    /// `floor((a·b + 2^30) / 2^31)` (so +0.5 → 1, −0.5 → 0, −1.5 → −1). The only overflow case,
    /// `a == b == Int32.min`, saturates to `Int32.max`.
    @inlinable @inline(__always)
    public static func saturatingRoundingDoublingHighMul(_ a: Int32, _ b: Int32) -> Int32 {
        if a == b && a == Int32.min { return Int32.max }
        let product = Int64(a) * Int64(b)
        let nudge: Int64 = product >= 0 ? (1 << 30) : (1 - (1 << 30))
        return Int32(truncatingIfNeeded: (product + nudge) / (1 << 31))
    }

    /// gemmlowp `RoundingDivideByPOT`: `x / 2^exponent`, rounded to nearest, ties away from zero.
    ///
    /// - Precondition: `0 <= exponent <= 31`.
    @inlinable @inline(__always)
    public static func roundingDivideByPOT(_ x: Int32, _ exponent: Int32) -> Int32 {
        assert(exponent >= 0 && exponent <= 31)
        let mask: Int32 = Int32(truncatingIfNeeded: (Int64(1) << Int64(exponent)) - 1)
        let remainder = x & mask
        let threshold = (mask >> 1) + (x < 0 ? 1 : 0)
        return (x >> exponent) + (remainder > threshold ? 1 : 0)
    }

    /// TFLite `MultiplyByQuantizedMultiplier` (double rounding, TFLite Micro's default).
    ///
    /// Computes `x · multiplier · 2^(shift − 31)`: a left shift for positive `shift`, then
    /// ``saturatingRoundingDoublingHighMul(_:_:)``, then ``roundingDivideByPOT(_:_:)`` for a
    /// negative `shift`. The left shift wraps like TFLite's int32 arithmetic on two's complement.
    ///
    /// `multiplyByQuantizedMultiplier(-1000, .max, shift: -4) == -63` (single rounding gives −62).
    @inlinable @inline(__always)
    public static func multiplyByQuantizedMultiplier(_ x: Int32, _ multiplier: Int32, shift: Int32) -> Int32 {
        let leftShift = shift > 0 ? shift : 0
        let rightShift = shift > 0 ? 0 : -shift
        return roundingDivideByPOT(
            saturatingRoundingDoublingHighMul(x &<< leftShift, multiplier),
            rightShift
        )
    }

    /// TFLite `MultiplyByQuantizedMultiplierSmallerThanOneExp`: `left_shift` is ≤ 0.
    @inlinable @inline(__always)
    public static func multiplyByQuantizedMultiplierSmallerThanOneExp(
        _ x: Int32, _ multiplier: Int32, leftShift: Int32
    ) -> Int32 {
        roundingDivideByPOT(saturatingRoundingDoublingHighMul(x, multiplier), -leftShift)
    }

    /// TFLite `MultiplyByQuantizedMultiplierGreaterThanOne`: `left_shift` is ≥ 0.
    @inlinable @inline(__always)
    public static func multiplyByQuantizedMultiplierGreaterThanOne(
        _ x: Int32, _ multiplier: Int32, leftShift: Int32
    ) -> Int32 {
        saturatingRoundingDoublingHighMul(x &<< leftShift, multiplier)
    }

    /// Saturating left shift, gemmlowp `SaturatingRoundingMultiplyByPOT` for a positive exponent.
    @inlinable @inline(__always)
    public static func saturatingLeftShift(_ x: Int32, by exponent: Int32) -> Int32 {
        if exponent <= 0 { return x }
        let minimum = Int32.min >> exponent
        let maximum = Int32.max >> exponent
        if x > maximum { return Int32.max }
        if x < minimum { return Int32.min }
        return x << exponent
    }
}

// MARK: - Quantized multipliers

/// A real multiplier as TFLite stores it: a Q0.31 significand and a power-of-two exponent.
///
/// `real ≈ multiplier · 2^(shift − 31)`. Built with ``init(_:)``, which is TFLite's
/// `QuantizeMultiplier` bit for bit.
public struct QuantizedMultiplier: Equatable, Sendable {
    /// The significand in Q0.31, in `[2^30, 2^31)` for a positive multiplier, or 0.
    public var multiplier: Int32
    /// The exponent: positive means a left shift, negative a right shift.
    public var shift: Int32

    /// Creates a multiplier from its raw parts.
    public init(multiplier: Int32, shift: Int32) {
        self.multiplier = multiplier
        self.shift = shift
    }

    /// TFLite `QuantizeMultiplier(double)`.
    ///
    /// `frexp` splits the value into a significand in [0.5, 1) and an exponent; the significand is
    /// scaled by 2^31 and rounded half away from zero (`std::round`). A significand that rounds up to
    /// 2^31 is halved and the exponent bumped. Exponents below −31 flush to zero; above 30 saturate.
    public init(_ real: Double) {
        if real == 0 {
            self.init(multiplier: 0, shift: 0)
            return
        }
        let (significand, exponent) = FixedPoint.frexp(real)
        var shift = Int32(exponent)
        var fixed = Int64((significand * 2147483648.0).rounded(.toNearestOrAwayFromZero))
        precondition(fixed <= (1 << 31), "frexp significand out of range")
        if fixed == (1 << 31) {
            fixed /= 2
            shift += 1
        }
        if shift < -31 {
            shift = 0
            fixed = 0
        }
        if shift > 30 {
            shift = 30
            fixed = (1 << 31) - 1
        }
        self.init(multiplier: Int32(fixed), shift: shift)
    }

    /// Applies the multiplier to an accumulator (``FixedPoint/multiplyByQuantizedMultiplier(_:_:shift:)``).
    @inlinable @inline(__always)
    public func apply(_ x: Int32) -> Int32 {
        FixedPoint.multiplyByQuantizedMultiplier(x, multiplier, shift: shift)
    }
}

extension FixedPoint {
    /// C `frexp`: returns `(m, e)` with `x == m · 2^e` and `0.5 <= |m| < 1` (for finite, non-zero `x`).
    public static func frexp(_ x: Double) -> (significand: Double, exponent: Int) {
        if x == 0 || !x.isFinite { return (x, 0) }
        // Swift's `significand` is in [1, 2); C's frexp wants [0.5, 1).
        let exponent = Int(x.exponent) + 1
        let magnitude = x.significand / 2
        return (x < 0 ? -magnitude : magnitude, exponent)
    }
}
