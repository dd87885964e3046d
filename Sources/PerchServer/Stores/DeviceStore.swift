import Foundation
import GRDB
import HTTPTypes
import PerchWire

/// Enrolled devices: enrollment, credentials, revocation and listing.
public struct DeviceStore: Sendable {
    let database: ServerDatabase

    /// The stored credential of a device.
    struct Credentials: Sendable {
        var tokenHash: [UInt8]
        var revoked: Bool
        var group: String
    }

    /// Enrolls a device or re-enrolls a known hardware id (issuing a new token, invalidating the old).
    ///
    /// - Returns: The device id and its new token (shown once; only its hash is stored).
    /// - Throws: ``APIError`` 403 if the hardware id belongs to a revoked device.
    func enroll(hardwareId: String, board: String, group: String) async throws -> EnrollResponse {
        let now = WallClock.nowMs()
        return try await database.pool.write { db in
            let existing = try Row.fetchOne(
                db, sql: "SELECT id, revoked_at FROM device WHERE hardware_id = ?", arguments: [hardwareId])
            if let existing {
                guard existing["revoked_at"] as Int64? == nil else {
                    throw APIError(.forbidden, .forbidden, "this hardware id was revoked")
                }
                let id: String = existing["id"]
                let token = id + "." + SecretDigest.randomSecret()
                try db.execute(
                    sql: "UPDATE device SET token_hash = ?, board = ?, group_name = ?, last_seen_at = ? WHERE id = ?",
                    arguments: [Data(SecretDigest.hash(token)), board, group, now, id])
                return EnrollResponse(deviceId: id, token: token)
            }
            let id = "dev-" + UUID().uuidString.lowercased().prefix(13).replacingOccurrences(of: "-", with: "")
            let token = id + "." + SecretDigest.randomSecret()
            try db.execute(
                sql: """
                    INSERT INTO device (id, hardware_id, board, group_name, token_hash, enrolled_at, last_seen_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [id, hardwareId, board, group, Data(SecretDigest.hash(token)), now, now])
            return EnrollResponse(deviceId: id, token: token)
        }
    }

    /// The credential row of a device, or `nil` if unknown.
    func credentials(deviceId: String) async throws -> Credentials? {
        try await database.pool.read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT token_hash, revoked_at, group_name FROM device WHERE id = ?",
                    arguments: [deviceId])
            else { return nil }
            let hash: Data = row["token_hash"]
            return Credentials(
                tokenHash: Array(hash), revoked: (row["revoked_at"] as Int64?) != nil, group: row["group_name"])
        }
    }

    /// Records that the device was seen now.
    func touch(deviceId: String) async throws {
        let now = WallClock.nowMs()
        try await database.pool.write { db in
            try db.execute(sql: "UPDATE device SET last_seen_at = ? WHERE id = ?", arguments: [now, deviceId])
        }
    }

    /// Revokes a device's token.
    ///
    /// - Throws: ``APIError`` 404 for an unknown device.
    func revoke(deviceId: String) async throws -> DeviceSummary {
        let now = WallClock.nowMs()
        try await database.pool.write { db in
            try db.execute(
                sql: "UPDATE device SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?", arguments: [now, deviceId])
            if db.changesCount == 0 { throw APIError.notFound("unknown device") }
        }
        guard let summary = try await device(id: deviceId) else { throw APIError.notFound("unknown device") }
        return summary
    }

    /// All devices with their last heartbeat, ordered by enrollment.
    public func list() async throws -> [DeviceSummary] {
        try await database.pool.read { db in
            try Row.fetchAll(db, sql: Self.summarySQL + " ORDER BY d.enrolled_at, d.id").map(Self.summary)
        }
    }

    /// One device with its last heartbeat, or `nil`.
    public func device(id: String) async throws -> DeviceSummary? {
        try await database.pool.read { db in
            try Row.fetchOne(db, sql: Self.summarySQL + " WHERE d.id = ?", arguments: [id]).map(Self.summary)
        }
    }

    /// Devices whose last authenticated request is at most `windowMs` old.
    public func onlineCount(windowMs: Int64) async throws -> Int {
        let since = WallClock.nowMs() - windowMs
        return try await database.pool.read { db in
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM device WHERE revoked_at IS NULL AND last_seen_at >= ?",
                arguments: [since]) ?? 0
        }
    }

    private static let summarySQL = """
        SELECT d.id, d.hardware_id, d.board, d.group_name, d.enrolled_at, d.last_seen_at, d.revoked_at,
               (SELECT MAX(seq) FROM result r WHERE r.device_id = d.id) AS highest_seq,
               h.model_name, h.model_version, h.slot_state, h.uptime_seconds, h.frames_per_second,
               h.dropped_frames, h.journal_depth, h.sync_lag_seconds, h.temperature_celsius,
               h.throttled, h.free_disk_bytes
        FROM device d
        LEFT JOIN heartbeat h ON h.id = (SELECT MAX(id) FROM heartbeat WHERE device_id = d.id)
        """

    private static func summary(_ row: Row) -> DeviceSummary {
        var heartbeat: Heartbeat?
        if let slot: String = row["slot_state"] {
            heartbeat = Heartbeat(
                modelName: row["model_name"],
                modelVersion: row["model_version"],
                slotState: Heartbeat.SlotState(rawValue: slot) ?? .empty,
                uptimeSeconds: row["uptime_seconds"],
                framesPerSecond: row["frames_per_second"],
                droppedFrames: row["dropped_frames"],
                journalDepth: row["journal_depth"],
                syncLagSeconds: row["sync_lag_seconds"],
                temperatureCelsius: row["temperature_celsius"],
                throttled: row["throttled"],
                freeDiskBytes: row["free_disk_bytes"])
        }
        return DeviceSummary(
            deviceId: row["id"],
            hardwareId: row["hardware_id"],
            board: row["board"],
            group: row["group_name"],
            enrolledAtMs: row["enrolled_at"],
            lastSeenAtMs: row["last_seen_at"],
            revoked: (row["revoked_at"] as Int64?) != nil,
            highestSeq: row["highest_seq"],
            lastHeartbeat: heartbeat)
    }
}
