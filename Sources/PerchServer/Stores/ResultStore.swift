import Foundation
import GRDB
import PerchWire

/// Result ingestion (idempotent on device and sequence number) and result queries.
public struct ResultStore: Sendable {
    let database: ServerDatabase
    let limits: ServerLimits

    /// Validates a whole batch before anything is written, so a bad batch changes nothing.
    ///
    /// - Throws: ``APIError`` 400 for an invalid field, 413 for an oversized snapshot or batch.
    func validate(_ batch: ResultBatch) throws {
        guard batch.results.count <= limits.maxResultsPerBatch else {
            throw APIError.tooLarge("a batch holds at most \(limits.maxResultsPerBatch) results")
        }
        for (index, record) in batch.results.enumerated() {
            let at = "results[\(index)]"
            guard record.seq >= 0 else { throw APIError.invalid("\(at).seq must not be negative") }
            guard !record.label.isEmpty, record.label.utf8.count <= 128 else {
                throw APIError.invalid("\(at).label must have 1 to 128 bytes")
            }
            guard record.modelName.utf8.count <= 64, record.modelVersion.utf8.count <= 32 else {
                throw APIError.invalid("\(at).modelName or modelVersion too long")
            }
            guard record.score.isFinite, record.latencyMs.isFinite, record.latencyMs >= 0 else {
                throw APIError.invalid("\(at).score and latencyMs must be finite, latencyMs not negative")
            }
            if let snapshot = record.snapshot {
                guard snapshot.count <= limits.maxSnapshotBytes else {
                    throw APIError.tooLarge("\(at).snapshot exceeds \(limits.maxSnapshotBytes) bytes")
                }
                guard record.kind == .event else { throw APIError.invalid("\(at): only events carry a snapshot") }
                guard snapshot.starts(with: [0xFF, 0xD8, 0xFF]) else {
                    throw APIError.invalid("\(at).snapshot is not a JPEG")
                }
            }
        }
    }

    /// Concurrent batches share transactions (group commit).
    let commits = GroupCommitQueue()

    /// Stores a batch; records already stored are skipped.
    ///
    /// Batches arriving together are written in one transaction, each in its own savepoint (see
    /// ``GroupCommitQueue``).
    ///
    /// - Returns: Counts and the highest sequence now stored for the device. The transaction is
    ///   committed before this returns, so the reply acknowledges durable data.
    func ingest(_ batch: ResultBatch, deviceId: String) async throws -> ResultBatchResponse {
        try validate(batch)
        return try await commits.submit(batch, deviceId: deviceId, pool: database.pool) { db, batch, deviceId in
            try Self.insert(batch, deviceId: deviceId, now: WallClock.nowMs(), db: db)
        }
    }

    /// Inserts one batch inside an open transaction.
    private static func insert(_ batch: ResultBatch, deviceId: String, now: Int64, db: Database) throws
        -> ResultBatchResponse
    {
        let insert = try db.cachedStatement(
            sql: """
                INSERT OR IGNORE INTO result (device_id, seq, captured_at, monotonic_ns, kind, model_name,
                    model_version, label, score, latency_ms, throttled, has_snapshot, received_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        let insertSnapshot = try db.cachedStatement(
            sql: "INSERT INTO snapshot (device_id, seq, jpeg) VALUES (?, ?, ?)")
        var accepted = 0
        for record in batch.results {
            try insert.execute(arguments: [
                deviceId, record.seq, record.capturedAtMs, record.monotonicNs, record.kind.rawValue,
                record.modelName, record.modelVersion, record.label, record.score, record.latencyMs,
                record.throttled, record.snapshot != nil, now,
            ])
            guard db.changesCount == 1 else { continue }
            accepted += 1
            if let snapshot = record.snapshot {
                try insertSnapshot.execute(arguments: [deviceId, record.seq, snapshot])
            }
        }
        try db.cachedStatement(sql: "UPDATE device SET last_seen_at = ? WHERE id = ?")
            .execute(arguments: [now, deviceId])
        let highest = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT MAX(seq) FROM result WHERE device_id = ?"), arguments: [deviceId])
        return ResultBatchResponse(accepted: accepted, duplicates: batch.results.count - accepted, highestSeq: highest)
    }

    /// A result query: every filter is optional.
    public struct Query: Sendable {
        /// Only this device.
        public var deviceId: String?
        /// Only this label.
        public var label: String?
        /// Only this kind.
        public var kind: ResultRecord.Kind?
        /// Captured at or after, Unix epoch ms.
        public var fromMs: Int64?
        /// Captured before, Unix epoch ms.
        public var toMs: Int64?
        /// At most this many results (1…1000).
        public var limit: Int = 100

        /// Creates an unfiltered query.
        public init() {}
    }

    /// Results matching `query`, newest capture first.
    public func query(_ query: Query) async throws -> [StoredResult] {
        let (filter, arguments) = Self.filter(query)
        return try await database.pool.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM result \(filter) ORDER BY captured_at DESC, device_id, seq DESC LIMIT \(query.limit)
                    """,
                arguments: arguments)
            return rows.map { row in
                StoredResult(
                    deviceId: row["device_id"],
                    record: ResultRecord(
                        seq: row["seq"], capturedAtMs: row["captured_at"], monotonicNs: row["monotonic_ns"],
                        kind: ResultRecord.Kind(rawValue: row["kind"]) ?? .result, modelName: row["model_name"],
                        modelVersion: row["model_version"], label: row["label"], score: row["score"],
                        latencyMs: row["latency_ms"], throttled: row["throttled"]),
                    hasSnapshot: row["has_snapshot"], receivedAtMs: row["received_at"])
            }
        }
    }

    /// Result counts per label per UTC hour of capture time.
    public func hourlyCounts(_ query: Query) async throws -> [HourlyCount] {
        let (filter, arguments) = Self.filter(query)
        return try await database.pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT (captured_at / 3600000) * 3600000 AS hour, label, COUNT(*) AS n FROM result \(filter)
                    GROUP BY hour, label ORDER BY hour, label
                    """,
                arguments: arguments
            ).map { HourlyCount(hourStartMs: $0["hour"], label: $0["label"], count: $0["n"]) }
        }
    }

    /// The JPEG snapshot of a result, or `nil`.
    public func snapshot(deviceId: String, seq: Int64) async throws -> Data? {
        try await database.pool.read { db in
            try Data.fetchOne(
                db, sql: "SELECT jpeg FROM snapshot WHERE device_id = ? AND seq = ?", arguments: [deviceId, seq])
        }
    }

    /// All results ever stored (for metrics).
    public func totalCount() async throws -> Int {
        try await database.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM result") ?? 0 }
    }

    private static func filter(_ query: Query) -> (String, StatementArguments) {
        var clauses: [String] = []
        var arguments = StatementArguments()
        if let deviceId = query.deviceId {
            clauses.append("device_id = ?")
            arguments += [deviceId]
        }
        if let label = query.label {
            clauses.append("label = ?")
            arguments += [label]
        }
        if let kind = query.kind {
            clauses.append("kind = ?")
            arguments += [kind.rawValue]
        }
        if let fromMs = query.fromMs {
            clauses.append("captured_at >= ?")
            arguments += [fromMs]
        }
        if let toMs = query.toMs {
            clauses.append("captured_at < ?")
            arguments += [toMs]
        }
        return (clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND "), arguments)
    }
}
