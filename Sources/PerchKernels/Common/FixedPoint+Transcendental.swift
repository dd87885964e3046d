// MARK: - gemmlowp fixed-point transcendental functions
//
// Ports of gemmlowp's `fixedpoint.h` functions on `FixedPoint<std::int32_t, tIntegerBits>`, the ones
// TFLite's int8 SOFTMAX, LOGISTIC and TANH reference kernels are built from. gemmlowp encodes the
// number of integer bits in the type; here a value is its raw `Int32` and the integer bits are an
// explicit argument. A raw value `r` with `b` integer bits represents `r / 2^(31 − b)`.
//
// Arithmetic follows gemmlowp exactly: `+`/`−` on raw values wrap (gemmlowp adds raw int32s),
// `*` is `SaturatingRoundingDoublingHighMul` (the result has the sum of the integer bits),
// `Rescale` is `SaturatingRoundingMultiplyByPOT`, and `ExactMulByPot` only relabels integer bits.

extension FixedPoint {
    /// gemmlowp `RoundingHalfSum` for `int32`: `(a + b) / 2`, rounded half away from zero, in 64 bits.
    @inlinable
    public static func roundingHalfSum(_ a: Int32, _ b: Int32) -> Int32 {
        let sum = Int64(a) + Int64(b)
        let sign: Int64 = sum >= 0 ? 1 : -1
        return Int32(truncatingIfNeeded: (sum + sign) / 2)
    }

    /// gemmlowp `SaturatingRoundingMultiplyByPOT<exponent>`: `x · 2^exponent`.
    ///
    /// A positive exponent shifts left and saturates to `Int32.min`/`Int32.max`; a negative one is
    /// ``roundingDivideByPOT(_:_:)`` (ties away from zero).
    @inlinable
    public static func saturatingRoundingMultiplyByPOT(_ x: Int32, exponent: Int) -> Int32 {
        if exponent > 0 { return saturatingLeftShift(x, by: Int32(exponent)) }
        if exponent < 0 { return roundingDivideByPOT(x, Int32(-exponent)) }
        return x
    }

    /// gemmlowp `Rescale<dst>`: re-expresses a raw value with `source` integer bits in `destination`
    /// integer bits (saturating on a left shift, rounding on a right shift).
    @inlinable
    public static func rescale(_ raw: Int32, fromIntegerBits source: Int, toIntegerBits destination: Int) -> Int32 {
        saturatingRoundingMultiplyByPOT(raw, exponent: source - destination)
    }

    /// gemmlowp `exp_on_interval_between_negative_one_quarter_and_0_excl` on a Q0.31 raw value.
    ///
    /// A fourth-order Taylor expansion around −1/8. Input in [−1/4, 0); result in Q0.31.
    public static func expOnIntervalBetweenNegativeOneQuarterAnd0Excl(_ a: Int32) -> Int32 {
        let constantTerm: Int32 = 1_895_147_668  // exp(-1/8)
        let constantOneThird: Int32 = 715_827_883  // 1/3
        // x = a + 1/8; 1/8 in Q0.31 is 1 << 28.
        let x = a &+ (1 << 28)
        let x2 = saturatingRoundingDoublingHighMul(x, x)
        let x3 = saturatingRoundingDoublingHighMul(x2, x)
        let x4 = saturatingRoundingDoublingHighMul(x2, x2)
        let x4Over4 = saturatingRoundingMultiplyByPOT(x4, exponent: -2)
        let inner = saturatingRoundingDoublingHighMul(x4Over4 &+ x3, constantOneThird) &+ x2
        let x4Over24PlusX3Over6PlusX2Over2 = saturatingRoundingMultiplyByPOT(inner, exponent: -1)
        return constantTerm &+ saturatingRoundingDoublingHighMul(constantTerm, x &+ x4Over24PlusX3Over6PlusX2Over2)
    }

    /// gemmlowp `exp_on_negative_values`: `exp(a)` for `a <= 0` with `integerBits` integer bits;
    /// result in Q0.31.
    ///
    /// Splits `a` into a remainder in [−1/4, 0) handled by the Taylor expansion, and a barrel shifter
    /// over the bits of `−a` multiplying by the constants `exp(−2^k)`.
    ///
    /// - Precondition: `0 <= integerBits <= 30`.
    public static func expOnNegativeValues(_ a: Int32, integerBits: Int) -> Int32 {
        precondition(integerBits >= 0 && integerBits <= 30)
        let fractionalBits = 31 - integerBits
        let oneQuarter: Int32 = 1 << Int32(fractionalBits - 2)
        let mask = oneQuarter &- 1
        let aModQuarterMinusOneQuarter = (a & mask) &- oneQuarter
        var result = expOnIntervalBetweenNegativeOneQuarterAnd0Excl(
            rescale(aModQuarterMinusOneQuarter, fromIntegerBits: integerBits, toIntegerBits: 0)
        )
        let remainder = aModQuarterMinusOneQuarter &- a

        // gemmlowp's GEMMLOWP_EXP_BARREL_SHIFTER(exponent, multiplier = exp(-2^exponent) in Q0.31).
        // A loop over constants rather than a nested function capturing `result`: a capturing local
        // function may box the variable on the heap in unoptimized builds, and kernels never allocate.
        let multipliers: (Int32, Int32, Int32, Int32, Int32, Int32, Int32) = (
            1_672_461_947, 1_302_514_674, 790_015_084, 290_630_308, 39_332_535, 720_401, 242
        )
        for exponent in -2...4 where integerBits > exponent {
            if remainder & (1 << Int32(fractionalBits + exponent)) != 0 {
                let multiplier: Int32
                switch exponent {
                case -2: multiplier = multipliers.0
                case -1: multiplier = multipliers.1
                case 0: multiplier = multipliers.2
                case 1: multiplier = multipliers.3
                case 2: multiplier = multipliers.4
                case 3: multiplier = multipliers.5
                default: multiplier = multipliers.6
                }
                result = saturatingRoundingDoublingHighMul(result, multiplier)
            }
        }

        if integerBits > 5 {
            // Below −32, exp underflows to 0.
            let clamp: Int32 = -(1 << Int32(36 - integerBits))
            if a < clamp { result = 0 }
        }
        if a == 0 { result = Int32.max }
        return result
    }

    /// gemmlowp `one_over_one_plus_x_for_x_in_0_1`: `1 / (1 + a)` for a Q0.31 `a` in [0, 1];
    /// result in Q0.31. Three Newton–Raphson iterations in Q2.29.
    public static func oneOverOnePlusXForXIn01(_ a: Int32) -> Int32 {
        let x = newtonRaphsonReciprocalOfHalfDenominator(roundingHalfSum(a, Int32.max))
        // ExactMulByPot<-1> (Q2 -> Q1, same raw), then Rescale<0> from Q1.
        return rescale(x, fromIntegerBits: 1, toIntegerBits: 0)
    }

    /// gemmlowp `one_minus_x_over_one_plus_x_for_x_in_0_1`: `(1 − a) / (1 + a)` for a Q0.31 `a` in
    /// [0, 1]; result in Q0.31.
    public static func oneMinusXOverOnePlusXForXIn01(_ a: Int32) -> Int32 {
        let x = newtonRaphsonReciprocalOfHalfDenominator(roundingHalfSum(a, Int32.max))
        let oneQ2: Int32 = 1 << 29
        return rescale(x &- oneQ2, fromIntegerBits: 2, toIntegerBits: 0)
    }

    /// The shared Newton–Raphson loop of gemmlowp's two `…_for_x_in_0_1` functions: returns
    /// `1 / halfDenominator` in Q2.29 for a Q0.31 `halfDenominator` in [1/2, 1].
    @usableFromInline
    static func newtonRaphsonReciprocalOfHalfDenominator(_ halfDenominator: Int32) -> Int32 {
        let constant48Over17: Int32 = 1_515_870_810  // Q2.29
        let constantNeg32Over17: Int32 = -1_010_580_540  // Q2.29
        let oneQ2: Int32 = 1 << 29
        var x = constant48Over17 &+ saturatingRoundingDoublingHighMul(halfDenominator, constantNeg32Over17)
        for _ in 0..<3 {
            let halfDenominatorTimesX = saturatingRoundingDoublingHighMul(halfDenominator, x)  // Q2
            let oneMinusHalfDenominatorTimesX = oneQ2 &- halfDenominatorTimesX  // Q2
            let product = saturatingRoundingDoublingHighMul(x, oneMinusHalfDenominatorTimesX)  // Q4
            x = x &+ rescale(product, fromIntegerBits: 4, toIntegerBits: 2)
        }
        return x
    }

    /// gemmlowp `logistic` on a raw value with `integerBits` integer bits; result in Q0.31.
    ///
    /// `logistic(0)` is exactly 1/2 (`1 << 30`); negative inputs use `1 − logistic(−a)` where
    /// one is `Int32.max`.
    public static func logistic(_ a: Int32, integerBits: Int) -> Int32 {
        if a == 0 { return 1 << 30 }
        let absolute = a > 0 ? a : 0 &- a
        let resultIfPositive = oneOverOnePlusXForXIn01(expOnNegativeValues(0 &- absolute, integerBits: integerBits))
        return a > 0 ? resultIfPositive : Int32.max &- resultIfPositive
    }

    /// gemmlowp `tanh` on a raw value with `integerBits` integer bits; result in Q0.31.
    ///
    /// Computed as `(1 − e) / (1 + e)` with `e = exp(−2|a|)`; gemmlowp doubles `|a|` by relabelling it
    /// with one more integer bit (`ExactMulByPot<1>`), so the exponential runs with `integerBits + 1`.
    public static func tanh(_ a: Int32, integerBits: Int) -> Int32 {
        if a == 0 { return 0 }
        let negativeInput = a < 0 ? a : 0 &- a
        let t = oneMinusXOverOnePlusXForXIn01(expOnNegativeValues(negativeInput, integerBits: integerBits + 1))
        return a < 0 ? 0 &- t : t
    }

    /// TFLite `GetReciprocal`: `1 / x` for a positive raw `x` with `integerDigits` integer bits.
    ///
    /// Returns the Q0.31 reciprocal of `x` normalised into [1, 2) and the number of bits by which
    /// `x` exceeded one (`numBitsOverUnit`), so `1/x ≈ reciprocal · 2^−numBitsOverUnit`.
    public static func reciprocal(_ x: Int32, integerDigits: Int) -> (reciprocal: Int32, numBitsOverUnit: Int) {
        let headroomPlusOne = UInt32(bitPattern: x).leadingZeroBitCount
        let numBitsOverUnit = integerDigits - headroomPlusOne
        let shiftedSumMinusOne = Int32(
            bitPattern: (UInt32(bitPattern: x) &<< UInt32(headroomPlusOne)) &- (UInt32(1) << 31)
        )
        return (oneOverOnePlusXForXIn01(shiftedSumMinusOne), numBitsOverUnit)
    }

    /// TFLite `CalculateInputRadius`: the largest input magnitude (in input units) that does not
    /// saturate once rescaled into `integerBits` integer bits by a left shift of `leftShift`.
    ///
    /// Computed in `Double` and floored, as TFLite does.
    public static func inputRadius(integerBits: Int, leftShift: Int, totalSignedBits: Int = 31) -> Int32 {
        let numerator = Double((1 << integerBits) - 1) * Double(Int64(1) << Int64(totalSignedBits - integerBits))
        let maxInputRescaled = 1.0 * numerator / Double(Int64(1) << Int64(leftShift))
        return Int32(maxInputRescaled.rounded(.down))
    }
}
