// MARK: - Deterministic pseudo-random numbers for kernel tests

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny, fast, seeded generator for reproducible test data.
///
/// Every test that draws random shapes or data seeds its own generator, so a failing case can be
/// replayed exactly. The output sequence for a given seed is part of this type's contract and will
/// not change.
struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The internal state; advanced by the golden-ratio increment on every draw.
    private(set) var state: UInt64

    /// Creates a generator whose sequence is fully determined by `seed`.
    init(seed: UInt64) {
        state = seed
    }

    /// Returns the next 64 pseudo-random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniformly distributed integer in `range`.
    mutating func int(in range: ClosedRange<Int>) -> Int {
        Int.random(in: range, using: &self)
    }

    /// A uniformly distributed `Int8` over its full range.
    mutating func int8() -> Int8 {
        Int8(truncatingIfNeeded: next())
    }

    /// `count` uniformly distributed `Int8` values over the full range.
    mutating func int8Array(count: Int) -> [Int8] {
        var values = [Int8]()
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(int8()) }
        return values
    }

    /// A uniformly distributed `Int32` in `range`.
    mutating func int32(in range: ClosedRange<Int32>) -> Int32 {
        Int32.random(in: range, using: &self)
    }

    /// `count` uniformly distributed `Int32` values in `range`.
    mutating func int32Array(count: Int, in range: ClosedRange<Int32>) -> [Int32] {
        (0..<count).map { _ in int32(in: range) }
    }

    /// A uniformly distributed `Float` in `range`.
    mutating func float(in range: ClosedRange<Float>) -> Float {
        Float.random(in: range, using: &self)
    }

    /// A uniformly distributed `Bool`.
    mutating func bool() -> Bool {
        next() & 1 == 1
    }

    /// One element of `choices`, chosen uniformly.
    ///
    /// - Precondition: `choices` is not empty.
    mutating func pick<T>(_ choices: [T]) -> T {
        precondition(!choices.isEmpty)
        return choices[int(in: 0...(choices.count - 1))]
    }
}
