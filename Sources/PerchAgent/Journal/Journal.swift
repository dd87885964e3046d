import Foundation
import GRDB
import PerchWire
import Synchronization

/// The device's result journal: SQLite in WAL mode, written in batched commits, capped by bytes and rows.
///
/// `append` only buffers in memory and assigns the next sequence number; `flush` commits the buffer in
/// one transaction (the SD card sees one commit per interval, not one per frame). Only committed rows are
/// ever uploaded, so a crash loses at most the uncommitted buffer, whose sequence numbers were never seen
/// by anyone and are reused. When a commit passes a cap, plain results are evicted before events, oldest
/// first, and every eviction is counted. Rows the server acknowledged are deleted.
public final class Journal: Sendable {
    /// The journal's caps.
    public struct Limits: Sendable, Equatable {
        /// Largest charged size of the stored rows, bytes.
        public var maxBytes: Int64
        /// Most stored rows.
        public var maxRows: Int64

        /// Creates limits.
        public init(maxBytes: Int64, maxRows: Int64) {
            self.maxBytes = maxBytes
            self.maxRows = maxRows
        }
    }

    /// The file.
    public let path: String
    /// The caps.
    public let limits: Limits
    let database: DatabaseQueue
    let state: Mutex<PendingState>
    /// Serializes commits, so a batch is never inserted twice by concurrent flushes.
    let flushLock = Mutex(())

    struct PendingState {
        var entries: [(Int64, JournalEntry)] = []
        var nextSeq: Int64
    }

    /// Opens (creating if needed) a journal file.
    ///
    /// - Parameters:
    ///   - path: The SQLite file; its directory must exist.
    ///   - limits: The caps.
    /// - Throws: A GRDB `DatabaseError` if the file cannot be opened or migrated.
    public init(path: String, limits: Limits) throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            // FULL: a committed batch survives power loss, not only a crash.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        let database = try DatabaseQueue(path: path, configuration: configuration)
        try Self.migrator.migrate(database)
        let nextSeq = try database.read { db in
            let stored = try Int64.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'next_seq'") ?? 1
            let highest = try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM results") ?? 0
            let acknowledged = try Int64.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'acked_seq'") ?? 0
            return max(stored, highest + 1, acknowledged + 1)
        }
        self.path = path
        self.limits = limits
        self.database = database
        self.state = Mutex(PendingState(nextSeq: nextSeq))
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE results (
                        seq INTEGER PRIMARY KEY,
                        kind INTEGER NOT NULL,
                        captured_at_ms INTEGER NOT NULL,
                        monotonic_ns INTEGER NOT NULL,
                        model_name TEXT NOT NULL,
                        model_version TEXT NOT NULL,
                        label TEXT NOT NULL,
                        score REAL NOT NULL,
                        latency_ms REAL NOT NULL,
                        throttled INTEGER NOT NULL,
                        snapshot BLOB,
                        bytes INTEGER NOT NULL
                    );
                    CREATE INDEX results_kind_seq ON results(kind, seq);
                    CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
                    CREATE TABLE wear (day INTEGER PRIMARY KEY, bytes INTEGER NOT NULL);
                    """)
        }
        return migrator
    }

    // MARK: - Writing

    /// Buffers an entry and assigns its sequence number (nothing touches storage until ``flush()``).
    ///
    /// - Parameter entry: The result or event.
    /// - Returns: Its sequence number.
    @discardableResult
    public func append(_ entry: JournalEntry) -> Int64 {
        state.withLock { state in
            let seq = state.nextSeq
            state.nextSeq += 1
            state.entries.append((seq, entry))
            return seq
        }
    }

    /// Commits the buffered entries in one transaction, then enforces the caps.
    ///
    /// - Returns: How many entries were committed.
    /// - Throws: A GRDB `DatabaseError`; the entries stay buffered and the next flush retries them.
    @discardableResult
    public func flush() throws -> Int {
        try flushLock.withLock { _ in try flushLocked() }
    }

    func flushLocked() throws -> Int {
        let (batch, nextSeq) = state.withLock { ($0.entries, $0.nextSeq) }
        guard !batch.isEmpty else { return 0 }
        let before = WriteMeter.writtenBytes()
        try database.write { db in
            for (seq, entry) in batch {
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO results (seq, kind, captured_at_ms, monotonic_ns, model_name,
                            model_version, label, score, latency_ms, throttled, snapshot, bytes)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        seq, entry.kind == .event ? 1 : 0, entry.capturedAtMs, entry.monotonicNs, entry.modelName,
                        entry.modelVersion, entry.label, entry.score, entry.latencyMs, entry.throttled,
                        entry.snapshot, entry.chargedBytes,
                    ])
            }
            try Self.setMeta(db, "next_seq", nextSeq)
            try Self.addMeta(db, "rows", Int64(batch.count))
            try Self.addMeta(db, "bytes", Int64(batch.reduce(0) { $0 + $1.1.chargedBytes }))
            try evictOverCap(db)
        }
        state.withLock { state in
            state.entries.removeFirst(min(batch.count, state.entries.count))
        }
        let written =
            before.flatMap { start in WriteMeter.writtenBytes().map { $0 - start } }
            ?? Int64(batch.reduce(0) { $0 + $1.1.chargedBytes })
        try database.write { db in
            try db.execute(
                sql: "INSERT INTO wear (day, bytes) VALUES (?, ?) ON CONFLICT(day) DO UPDATE SET bytes = bytes + ?",
                arguments: [Self.today(), written, written])
        }
        return batch.count
    }

    /// Evicts plain results, then events, oldest first, until both caps hold.
    func evictOverCap(_ db: Database) throws {
        for (kind, counter) in [(0, "evicted_results"), (1, "evicted_events")] {
            var rows = try Self.meta(db, "rows")
            var bytes = try Self.meta(db, "bytes")
            guard rows > limits.maxRows || bytes > limits.maxBytes else { return }
            var cutoff: Int64?
            var count: Int64 = 0
            var freed: Int64 = 0
            let cursor = try Row.fetchCursor(
                db, sql: "SELECT seq, bytes FROM results WHERE kind = ? ORDER BY seq", arguments: [kind])
            while rows > limits.maxRows || bytes > limits.maxBytes, let row = try cursor.next() {
                let size: Int64 = row["bytes"]
                cutoff = row["seq"]
                rows -= 1
                bytes -= size
                count += 1
                freed += size
            }
            guard let cutoff else { continue }
            try db.execute(sql: "DELETE FROM results WHERE kind = ? AND seq <= ?", arguments: [kind, cutoff])
            try Self.addMeta(db, "rows", -count)
            try Self.addMeta(db, "bytes", -freed)
            try Self.addMeta(db, counter, count)
        }
    }

    // MARK: - Sync

    /// The oldest committed rows not yet acknowledged, in sequence order.
    ///
    /// - Parameter limit: The most rows to return.
    /// - Returns: Wire records.
    /// - Throws: A GRDB `DatabaseError`.
    public func unacknowledged(limit: Int) throws -> [ResultRecord] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM results ORDER BY seq LIMIT ?", arguments: [limit]).map { row in
                ResultRecord(
                    seq: row["seq"], capturedAtMs: row["captured_at_ms"], monotonicNs: row["monotonic_ns"],
                    kind: (row["kind"] as Int) == 1 ? .event : .result, modelName: row["model_name"],
                    modelVersion: row["model_version"], label: row["label"], score: row["score"],
                    latencyMs: row["latency_ms"], throttled: row["throttled"], snapshot: row["snapshot"])
            }
        }
    }

    /// Deletes the rows of an uploaded batch that the server says it stored.
    ///
    /// Only sequence numbers of `batch` at or below `highestStoredSeq` are deleted: a server that already
    /// holds higher numbers (from a previous install) never makes the device drop rows it did not receive.
    ///
    /// - Parameters:
    ///   - batch: The sequence numbers that were uploaded.
    ///   - highestStoredSeq: The server's reply.
    /// - Throws: A GRDB `DatabaseError`.
    public func acknowledge(batch: [Int64], highestStoredSeq: Int64?) throws {
        guard let highestStoredSeq else { return }
        let stored = batch.filter { $0 <= highestStoredSeq }
        guard let top = stored.max() else { return }
        try database.write { db in
            let placeholders = stored.map { _ in "?" }.joined(separator: ",")
            let arguments = StatementArguments(stored)
            let freed =
                try Row.fetchOne(
                    db,
                    sql:
                        "SELECT COUNT(*) AS n, COALESCE(SUM(bytes), 0) AS b FROM results WHERE seq IN (\(placeholders))",
                    arguments: arguments)
            try db.execute(sql: "DELETE FROM results WHERE seq IN (\(placeholders))", arguments: arguments)
            try Self.addMeta(db, "rows", -(freed?["n"] ?? 0))
            try Self.addMeta(db, "bytes", -(freed?["b"] ?? 0))
            try Self.setMeta(db, "acked_seq", max(top, try Self.meta(db, "acked_seq")))
        }
    }

    // MARK: - Statistics

    /// The counters.
    ///
    /// - Throws: A GRDB `DatabaseError`.
    public func statistics() throws -> JournalStatistics {
        let (pending, nextSeq) = state.withLock { ($0.entries.count, $0.nextSeq) }
        return try database.read { db in
            var statistics = JournalStatistics()
            statistics.rows = try Self.meta(db, "rows")
            statistics.bytes = try Self.meta(db, "bytes")
            statistics.pending = pending
            statistics.nextSeq = nextSeq
            statistics.acknowledgedSeq = try Self.meta(db, "acked_seq")
            statistics.evictedResults = try Self.meta(db, "evicted_results")
            statistics.evictedEvents = try Self.meta(db, "evicted_events")
            statistics.bytesWrittenToday =
                try Int64.fetchOne(db, sql: "SELECT bytes FROM wear WHERE day = ?", arguments: [Self.today()]) ?? 0
            statistics.bytesWrittenTotal = try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(bytes), 0) FROM wear") ?? 0
            statistics.oldestCapturedAtMs = try Int64.fetchOne(
                db, sql: "SELECT captured_at_ms FROM results ORDER BY seq LIMIT 1")
            return statistics
        }
    }

    /// Every stored sequence number, ascending (tests and diagnostics).
    ///
    /// - Throws: A GRDB `DatabaseError`.
    public func storedSequenceNumbers() throws -> [Int64] {
        try database.read { db in try Int64.fetchAll(db, sql: "SELECT seq FROM results ORDER BY seq") }
    }

    // MARK: - Helpers

    static func today() -> Int64 { Int64(Date().timeIntervalSince1970) / 86_400 }

    static func meta(_ db: Database, _ key: String) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key]) ?? 0
    }

    static func setMeta(_ db: Database, _ key: String, _ value: Int64) throws {
        try db.execute(
            sql: "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            arguments: [key, value])
    }

    static func addMeta(_ db: Database, _ key: String, _ delta: Int64) throws {
        try db.execute(
            sql: "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = value + ?",
            arguments: [key, delta, delta])
    }
}
