/// The 16-bit fixed-point primitives of TFLite's quantized HARD_SWISH (gemmlowp's `int16_t`
/// instantiations plus `hard_swish.h`'s own helpers), with C's integer promotion semantics.
enum HardSwishMath {
    /// `hard_swish.h` `SaturatingLeftShift`: `value · 2^amount`, clamped to the int16 range.
    @inline(__always)
    static func saturatingLeftShift(_ value: Int16, by amount: Int32) -> Int16 {
        let shift = Int64(min(amount, 62))
        let result = Int64(value) << shift
        return Int16(min(max(result, Int64(Int16.min)), Int64(Int16.max)))
    }

    /// gemmlowp `SaturatingRoundingDoublingHighMul<int16_t>`: rounds to nearest, ties away from zero.
    @inline(__always)
    static func saturatingRoundingDoublingHighMul(_ a: Int16, _ b: Int16) -> Int16 {
        if a == b && a == Int16.min { return Int16.max }
        let ab = Int32(a) * Int32(b)
        let nudge: Int32 = ab >= 0 ? (1 << 14) : (1 - (1 << 14))
        return Int16(truncatingIfNeeded: (ab + nudge) / (1 << 15))
    }

    /// `hard_swish.h` `SaturatingDoublingHighMul`: like the above but truncating toward zero.
    @inline(__always)
    static func saturatingDoublingHighMul(_ a: Int16, _ b: Int16) -> Int16 {
        if a == b && a == Int16.min { return Int16.max }
        return Int16(truncatingIfNeeded: (Int32(a) * Int32(b)) / (1 << 15))
    }

    /// gemmlowp `RoundingDivideByPOT<int16_t>`: the mask `(1 << exponent) − 1` is truncated to 16 bits,
    /// exactly as gemmlowp's `Dup<int16_t>` does for large exponents.
    @inline(__always)
    static func roundingDivideByPOT(_ x: Int16, _ exponent: Int32) -> Int16 {
        let e = min(max(exponent, 0), 31)
        let mask = Int16(truncatingIfNeeded: (Int64(1) << Int64(e)) - 1)
        let remainder = x & mask
        let threshold = (mask >> 1) &+ (x < 0 ? 1 : 0)
        return (x >> Int16(e)) &+ (remainder > threshold ? 1 : 0)
    }
}
