import Foundation
import GRDB

/// The server's SQLite database: one file in WAL mode, migrated at open.
///
/// `DatabasePool` gives concurrent readers and one writer; every write is one transaction that is
/// committed before the HTTP reply is sent, so an acknowledged result survives a restart.
public struct ServerDatabase: Sendable {
    /// The underlying GRDB pool.
    public let pool: DatabasePool

    /// Opens (creating if needed) and migrates the database at `path`.
    ///
    /// - Parameters:
    ///   - path: The SQLite file path.
    ///   - synchronousFull: `PRAGMA synchronous = FULL` (durable across power loss) instead of
    ///     `NORMAL` (durable across process crashes only, faster).
    /// - Throws: `DatabaseError` if the file cannot be opened or migrated.
    public init(path: String, synchronousFull: Bool = true) throws {
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(synchronousFull ? "FULL" : "NORMAL")")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        pool = try DatabasePool(path: path, configuration: config)
        try Self.migrator.migrate(pool)
    }

    /// The journal mode SQLite reports (expected: `wal`).
    ///
    /// - Returns: The value of `PRAGMA journal_mode`.
    /// - Throws: `DatabaseError`.
    public func journalMode() throws -> String {
        try pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    /// The identifiers of the applied migrations, in order.
    ///
    /// - Throws: `DatabaseError`.
    public func appliedMigrations() throws -> [String] {
        try pool.read { db in try Self.migrator.appliedMigrations(db) }
    }
}
