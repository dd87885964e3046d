/// A buffer the memory planner must place: its size and the operators that use it.
public struct BufferRequest: Equatable, Sendable {
    /// Bytes needed.
    public var byteCount: Int
    /// Index of the first operator that writes or reads the buffer (graph inputs: 0).
    public var firstUse: Int
    /// Index of the last operator that reads it (graph outputs: the last operator).
    public var lastUse: Int

    /// Creates a request.
    public init(byteCount: Int, firstUse: Int, lastUse: Int) {
        self.byteCount = byteCount
        self.firstUse = firstUse
        self.lastUse = lastUse
    }

    func overlaps(_ other: BufferRequest) -> Bool {
        firstUse <= other.lastUse && other.firstUse <= lastUse
    }
}

/// Where each buffer lives in the arena, and how big the arena is.
public struct MemoryPlan: Equatable, Sendable {
    /// Byte offset of each request, in request order.
    public var offsets: [Int]
    /// Bytes the arena needs: the highest end of any placed buffer (aligned).
    public var arenaByteCount: Int
}

/// Plans one arena for all intermediate tensors from their lifetimes.
///
/// The algorithm is TFLite Micro's `GreedyMemoryPlanner`: buffers are placed largest first (ties by
/// first use), each at the lowest aligned offset where it does not overlap, in both space and time,
/// any buffer already placed. Two tensors share bytes only when their lifetimes are disjoint.
public enum MemoryPlanner {
    /// Plans offsets for `requests`.
    ///
    /// - Parameters:
    ///   - requests: The buffers and their lifetimes.
    ///   - alignment: Every offset is a multiple of this (a power of two).
    /// - Returns: The offsets and the arena size.
    public static func plan(_ requests: [BufferRequest], alignment: Int = 16) -> MemoryPlan {
        precondition(alignment > 0 && alignment & (alignment - 1) == 0, "alignment must be a power of two")
        let order = requests.indices.sorted { a, b in
            let lhs = requests[a]
            let rhs = requests[b]
            if lhs.byteCount != rhs.byteCount { return lhs.byteCount > rhs.byteCount }
            if lhs.firstUse != rhs.firstUse { return lhs.firstUse < rhs.firstUse }
            return a < b
        }
        var offsets = [Int](repeating: 0, count: requests.count)
        var placed: [Int] = []
        var arenaEnd = 0
        for index in order {
            let request = requests[index]
            let size = alignUp(request.byteCount, to: alignment)
            // Buffers alive at the same time, by offset: the candidate slides past each one it hits.
            let live = placed.filter { requests[$0].overlaps(request) }.sorted { offsets[$0] < offsets[$1] }
            var candidate = 0
            for other in live {
                let otherEnd = offsets[other] + alignUp(requests[other].byteCount, to: alignment)
                if candidate + size <= offsets[other] { break }
                candidate = max(candidate, otherEnd)
            }
            offsets[index] = candidate
            placed.append(index)
            arenaEnd = max(arenaEnd, candidate + size)
        }
        return MemoryPlan(offsets: offsets, arenaByteCount: arenaEnd)
    }

    static func alignUp(_ value: Int, to alignment: Int) -> Int {
        (value + alignment - 1) & ~(alignment - 1)
    }
}
