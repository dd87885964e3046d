import PerchTFLite
import Testing

/// Seeded corruptions of valid models: every input must either throw a `ModelError` or load a model whose
/// invariants hold. A trap would crash the test process.
@Suite struct MutationSweepTests {
    /// Outcome counts of one sweep.
    struct Tally {
        var loaded = 0
        var rejected = 0
        var violations: [String] = []
        var total: Int { loaded + rejected }

        mutating func run(_ bytes: [UInt8]) {
            do {
                let model = try TFLiteModel(bytes: bytes)
                loaded += 1
                violations += invariantViolations(model)
            } catch {
                rejected += 1
                if error.description.isEmpty { violations.append("empty description") }
            }
        }
    }

    /// Every prefix, `flips` random bit flips, `overwrites` random byte overwrites and `offsets` huge or
    /// boundary values written over 4-byte-aligned words (where offsets and lengths live).
    static func sweep(_ seed: [UInt8], flips: Int, overwrites: Int, offsets: Int, rngSeed: UInt64) -> Tally {
        var tally = Tally()
        var rng = SplitMix64(state: rngSeed)
        for length in 0..<seed.count { tally.run(Array(seed[0..<length])) }
        for _ in 0..<flips {
            var bytes = seed
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
            }
            tally.run(bytes)
        }
        for _ in 0..<overwrites {
            var bytes = seed
            bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            tally.run(bytes)
        }
        for _ in 0..<offsets {
            var bytes = seed
            let at = Int.random(in: 0..<(bytes.count / 4), using: &rng) * 4
            let candidates: [UInt32] = [
                0xFFFF_FFFF, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFC, UInt32(bytes.count), UInt32(bytes.count - at),
                UInt32(bytes.count - at - 1), 0, 1, 4, UInt32.random(in: 0...UInt32.max, using: &rng),
            ]
            let value = candidates[Int.random(in: 0..<candidates.count, using: &rng)]
            bytes.replaceSubrange(at..<(at + 4), with: le(value))
            tally.run(bytes)
        }
        return tally
    }

    @Test func handBuiltModelSurvivesMutations() {
        let seed = TinyModel().bytes
        let tally = Self.sweep(seed, flips: 1500, overwrites: 1500, offsets: 1500, rngSeed: 1)
        #expect(tally.total == seed.count + 4500)
        #expect(tally.violations.isEmpty, "\(tally.violations.prefix(5))")
        #expect(tally.rejected > 0)
    }

    @Test(.enabled(if: SharedModels.available, "../shared/models is absent: shared seed models not available"))
    func sharedModelsSurviveMutations() throws {
        var total = 0
        var rejected = 0
        for (index, name) in ["mul", "resize_bilinear", "softmax_10", "add"].enumerated() {
            let seed = try SharedModels.bytes("single_op/\(name).tflite")
            let tally = Self.sweep(seed, flips: 700, overwrites: 700, offsets: 700, rngSeed: UInt64(100 + index))
            #expect(tally.violations.isEmpty, "\(name): \(tally.violations.prefix(5))")
            total += tally.total
            rejected += tally.rejected
        }
        #expect(total >= 10_000)
        #expect(rejected > 0)
    }

    @Test(.enabled(if: SharedModels.available, "../shared/models is absent: shared seed models not available"))
    func everyTruncationOfARealModelIsRejected() throws {
        let seed = try SharedModels.bytes("single_op/mul.tflite")
        var loaded: [Int] = []
        for length in 0..<seed.count {
            if (try? TFLiteModel(bytes: Array(seed[0..<length]))) != nil { loaded.append(length) }
        }
        #expect(loaded.isEmpty, "prefixes that loaded: \(loaded.prefix(10))")
    }
}
