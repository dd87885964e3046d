/// The deterministic inputs of golden vectors, shared by the server (which computes the outputs)
/// and devices (which reproduce them bit-exactly before activating a model).
public enum GoldenInput {
    /// `count` int8 values from SplitMix64 seeded with `seed`: each value is the top byte of one
    /// 64-bit draw, reinterpreted as two's complement.
    ///
    /// SplitMix64 (Steele, Lea, Flood 2014): `state += 0x9E3779B97F4A7C15; z = state;
    /// z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9; z = (z ^ (z >> 27)) * 0x94D049BB133111EB; z ^ (z >> 31)`.
    ///
    /// - Parameters:
    ///   - seed: The seed from ``GoldenVector/seed``.
    ///   - count: The input tensor's element count.
    /// - Returns: The input values.
    public static func int8(seed: UInt64, count: Int) -> [Int8] {
        precondition(count >= 0, "count must not be negative")
        var state = seed
        var values: [Int8] = []
        values.reserveCapacity(count)
        for _ in 0..<count {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            values.append(Int8(truncatingIfNeeded: z >> 56))
        }
        return values
    }
}
