import PerchServer
import PerchWire

/// The results stored on the server since the last look, oldest first: what the narrator prints as "arriving".
struct ResultFeed {
    private var highestSeq: [String: Int64] = [:]
    /// Every printed result, by model version then label.
    private(set) var countsByVersion: [String: [String: Int]] = [:]

    /// Results stored since the previous call (at most the newest 1,000).
    mutating func next(from results: ResultStore) async throws -> [StoredResult] {
        var query = ResultStore.Query()
        query.limit = 1000
        let fresh = try await results.query(query)
            .filter { $0.record.seq > highestSeq[$0.deviceId, default: 0] }
            .sorted { ($0.deviceId, $0.record.seq) < ($1.deviceId, $1.record.seq) }
        for stored in fresh {
            highestSeq[stored.deviceId] = max(highestSeq[stored.deviceId, default: 0], stored.record.seq)
            if stored.record.kind == .result {
                countsByVersion[stored.record.modelVersion, default: [:]][stored.record.label, default: 0] += 1
            }
        }
        return fresh
    }

    /// Printed results of `version`.
    func count(of version: String) -> Int { countsByVersion[version, default: [:]].values.reduce(0, +) }
}
