import PerchKernels
import Testing

/// Independent oracles, written differently from `FixedPoint` (floor/magnitude forms in `Int64`).
enum FixedPointOracle {
    /// `round(a·b / 2^31)` with ties toward +∞, saturating the single overflow case.
    static func srdhm(_ a: Int32, _ b: Int32) -> Int32 {
        if a == Int32.min && b == Int32.min { return Int32.max }
        let product = Int64(a) * Int64(b)
        // Floor division via arithmetic shift of `product + 2^30`.
        return Int32((product + (1 << 30)) >> 31)
    }

    /// `x / 2^e` rounded to nearest, ties away from zero, via the magnitude.
    static func rdbpot(_ x: Int32, _ exponent: Int32) -> Int32 {
        if exponent == 0 { return x }
        let magnitude = Int64(x).magnitude
        let rounded = (magnitude + (UInt64(1) << UInt64(exponent - 1))) >> UInt64(exponent)
        return Int32(x < 0 ? -Int64(rounded) : Int64(rounded))
    }

    /// TFLite `MultiplyByQuantizedMultiplier` from the two oracles.
    static func multiply(_ x: Int32, _ multiplier: Int32, shift: Int32) -> Int32 {
        let left = max(shift, 0)
        let right = max(-shift, 0)
        let shifted = Int32(truncatingIfNeeded: Int64(x) << Int64(left))
        return rdbpot(srdhm(shifted, multiplier), right)
    }
}

@Suite struct FixedPointTests {
    /// gemmlowp's edge values: ±2^i ± {0, 1, 2}, 0, and both ends of `Int32`.
    static let edgeValues: [Int32] = {
        var values: [Int32] = [0, 1, -1, 2, -2]
        for i in 0..<31 {
            let power = Int64(1) << Int64(i)
            for delta: Int64 in [-2, -1, 0, 1, 2] {
                for candidate in [power + delta, -power + delta] where candidate >= Int64(Int32.min) {
                    if candidate <= Int64(Int32.max) { values.append(Int32(candidate)) }
                }
            }
        }
        values += [Int32.min, Int32.min + 1, Int32.min + 2, Int32.max - 2, Int32.max - 1, Int32.max]
        return values
    }()

    @Test func saturatingRoundingDoublingHighMulMatchesOracleOnEdgeValues() {
        var mismatches = 0
        for a in Self.edgeValues {
            for b in Self.edgeValues where FixedPoint.saturatingRoundingDoublingHighMul(a, b) != FixedPointOracle.srdhm(a, b) {
                mismatches += 1
            }
        }
        #expect(mismatches == 0)
        #expect(FixedPoint.saturatingRoundingDoublingHighMul(.min, .min) == .max)
        // Ties (exactly half) round toward +∞: +0.5 → 1, −0.5 → 0, −1.5 → −1.
        #expect(FixedPoint.saturatingRoundingDoublingHighMul(1, 1 << 30) == 1)
        #expect(FixedPoint.saturatingRoundingDoublingHighMul(-1, 1 << 30) == 0)
        #expect(FixedPoint.saturatingRoundingDoublingHighMul(-3, 1 << 30) == -1)
    }

    @Test func roundingDivideByPOTMatchesOracleOnEdgeValues() {
        var mismatches = 0
        for x in Self.edgeValues {
            for exponent: Int32 in 0...31 where FixedPoint.roundingDivideByPOT(x, exponent) != FixedPointOracle.rdbpot(x, exponent) {
                mismatches += 1
            }
        }
        #expect(mismatches == 0)
        // Ties round away from zero.
        #expect(FixedPoint.roundingDivideByPOT(5, 1) == 3)
        #expect(FixedPoint.roundingDivideByPOT(-5, 1) == -3)
        #expect(FixedPoint.roundingDivideByPOT(-6, 2) == -2)
        #expect(FixedPoint.roundingDivideByPOT(Int32.min, 31) == -1)
    }

    @Test func multiplyByQuantizedMultiplierUsesDoubleRounding() {
        // Single rounding would give −62.
        #expect(FixedPoint.multiplyByQuantizedMultiplier(-1000, .max, shift: -4) == -63)
        #expect(QuantizedMultiplier(multiplier: .max, shift: -4).apply(-1000) == -63)
        #expect(FixedPoint.multiplyByQuantizedMultiplier(3, 1 << 30, shift: 1) == 3)
        #expect(FixedPoint.multiplyByQuantizedMultiplier(100, 1 << 30, shift: 2) == 200)
    }

    @Test func multiplyByQuantizedMultiplierMatchesOracleOnSeededRandoms() {
        var rng = SplitMix64(seed: 0xF1_0A7)
        var mismatches = 0
        for index in 0..<1000 {
            let x = index < 500 ? rng.int32(in: Int32.min...Int32.max) : rng.int32(in: -1_000_000...1_000_000)
            let multiplier = rng.int32(in: (1 << 30)...Int32.max)
            let shift = rng.int32(in: -31...(x.magnitude < 1 << 20 ? 8 : 0))
            let srdhmB = rng.int32(in: Int32.min...Int32.max)
            if FixedPoint.multiplyByQuantizedMultiplier(x, multiplier, shift: shift)
                != FixedPointOracle.multiply(x, multiplier, shift: shift)
            {
                mismatches += 1
            }
            if FixedPoint.saturatingRoundingDoublingHighMul(x, srdhmB) != FixedPointOracle.srdhm(x, srdhmB) {
                mismatches += 1
            }
            let exponent = rng.int32(in: 0...31)
            if FixedPoint.roundingDivideByPOT(x, exponent) != FixedPointOracle.rdbpot(x, exponent) { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    @Test func quantizeMultiplierMatchesTFLite() {
        #expect(QuantizedMultiplier(0.5) == QuantizedMultiplier(multiplier: 1 << 30, shift: 0))
        #expect(QuantizedMultiplier(1.0) == QuantizedMultiplier(multiplier: 1 << 30, shift: 1))
        #expect(QuantizedMultiplier(0.25) == QuantizedMultiplier(multiplier: 1 << 30, shift: -1))
        #expect(QuantizedMultiplier(3.0) == QuantizedMultiplier(multiplier: 1_610_612_736, shift: 2))
        #expect(QuantizedMultiplier(0) == QuantizedMultiplier(multiplier: 0, shift: 0))
        // A significand that rounds up to 2^31 is halved and the exponent bumped.
        #expect(QuantizedMultiplier(1 - 0x1p-40) == QuantizedMultiplier(multiplier: 1 << 30, shift: 1))
        #expect(QuantizedMultiplier(0.5 - 0x1p-40) == QuantizedMultiplier(multiplier: 1 << 30, shift: 0))
        // Largest significand below the round-up: (2^31 − 1) / 2^31.
        #expect(QuantizedMultiplier(Double(Int32.max) / 0x1p31) == QuantizedMultiplier(multiplier: .max, shift: 0))
        // Tiny values (exponent below −31) flush to zero.
        #expect(QuantizedMultiplier(0x1p-40) == QuantizedMultiplier(multiplier: 0, shift: 0))
        #expect(QuantizedMultiplier(0x1p-32) == QuantizedMultiplier(multiplier: 1 << 30, shift: -31))
        // Rounding half away from zero of the scaled significand: 0.75 + 2^-32 → 0.75·2^31 + 0.5 → +1.
        #expect(QuantizedMultiplier(0.75 + 0x1p-32) == QuantizedMultiplier(multiplier: 1_610_612_737, shift: 0))
    }

    @Test func frexpSplitsLikeC() {
        #expect(FixedPoint.frexp(8) == (0.5, 4))
        #expect(FixedPoint.frexp(-3) == (-0.75, 2))
        #expect(FixedPoint.frexp(0.1).exponent == -3)
    }
}
