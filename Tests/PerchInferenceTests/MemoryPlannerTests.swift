import Testing

@testable import PerchInference

@Suite struct MemoryPlannerTests {
    @Test func buffersWithDisjointLifetimesShareBytes() {
        let plan = MemoryPlanner.plan([
            BufferRequest(byteCount: 100, firstUse: 0, lastUse: 1),
            BufferRequest(byteCount: 100, firstUse: 2, lastUse: 3),
        ])
        #expect(plan.offsets == [0, 0])
        #expect(plan.arenaByteCount == 112)
    }

    @Test func buffersAliveTogetherNeverOverlap() {
        let plan = MemoryPlanner.plan([
            BufferRequest(byteCount: 10, firstUse: 0, lastUse: 2),
            BufferRequest(byteCount: 40, firstUse: 1, lastUse: 3),
            BufferRequest(byteCount: 20, firstUse: 2, lastUse: 2),
        ])
        // Largest first at 0; the 20-byte one after it; the 10-byte one, alive with both, after both.
        #expect(plan.offsets == [80, 0, 48])
        #expect(plan.arenaByteCount == 96)
    }

    @Test func offsetsAreAligned() {
        let plan = MemoryPlanner.plan(
            [
                BufferRequest(byteCount: 3, firstUse: 0, lastUse: 0),
                BufferRequest(byteCount: 5, firstUse: 0, lastUse: 0),
            ], alignment: 64)
        #expect(plan.offsets.allSatisfy { $0 % 64 == 0 })
        #expect(plan.arenaByteCount == 128)
    }

    @Test func chainOfOperatorsNeedsOnlyTwoBuffersAtATime() {
        // Tensor i is written by operator i and read by operator i+1: at most two are alive at once.
        let requests = (0..<10).map { BufferRequest(byteCount: 1000, firstUse: $0, lastUse: $0 + 1) }
        let plan = MemoryPlanner.plan(requests)
        #expect(plan.arenaByteCount == 2 * 1008)
    }

    @Test(arguments: 0..<25) func randomPlansAreValidAndTight(seed: Int) {
        var random = TestRandom(seed: UInt64(seed))
        let requests = (0..<40).map { _ in
            let first = random.next(below: 30)
            return BufferRequest(
                byteCount: 1 + random.next(below: 5000), firstUse: first, lastUse: first + random.next(below: 8))
        }
        let plan = MemoryPlanner.plan(requests)
        for a in requests.indices {
            let endA = plan.offsets[a] + requests[a].byteCount
            #expect(endA <= plan.arenaByteCount)
            for b in requests.indices where b > a && requests[a].overlaps(requests[b]) {
                let endB = plan.offsets[b] + requests[b].byteCount
                #expect(endA <= plan.offsets[b] || endB <= plan.offsets[a], "buffers \(a) and \(b) overlap")
            }
        }
        // Never worse than giving every buffer its own bytes; never better than the busiest moment.
        let separate = requests.reduce(0) { $0 + MemoryPlanner.alignUp($1.byteCount, to: 16) }
        let busiest = (0..<40).map { step in
            requests.filter { $0.firstUse <= step && step <= $0.lastUse }.reduce(0) { $0 + $1.byteCount }
        }.max() ?? 0
        #expect(plan.arenaByteCount <= separate)
        #expect(plan.arenaByteCount >= busiest)
    }
}

/// SplitMix64, for seeded test inputs.
struct TestRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next(below bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
