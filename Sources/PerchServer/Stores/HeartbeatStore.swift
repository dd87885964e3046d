import GRDB
import PerchWire

/// Device heartbeats.
public struct HeartbeatStore: Sendable {
    let database: ServerDatabase

    /// Validates and stores a heartbeat and marks the device as seen.
    ///
    /// - Throws: ``APIError`` 400 for negative counters or non-finite numbers.
    func record(_ heartbeat: Heartbeat, deviceId: String) async throws {
        guard heartbeat.uptimeSeconds >= 0, heartbeat.droppedFrames >= 0, heartbeat.journalDepth >= 0,
            heartbeat.freeDiskBytes >= 0, heartbeat.framesPerSecond.isFinite, heartbeat.framesPerSecond >= 0,
            heartbeat.syncLagSeconds.isFinite, heartbeat.syncLagSeconds >= 0,
            heartbeat.temperatureCelsius?.isFinite ?? true
        else { throw APIError.invalid("heartbeat counters must be finite and not negative") }
        let now = WallClock.nowMs()
        try await database.pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO heartbeat (device_id, received_at, model_name, model_version, slot_state,
                        uptime_seconds, frames_per_second, dropped_frames, journal_depth, sync_lag_seconds,
                        temperature_celsius, throttled, free_disk_bytes)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    deviceId, now, heartbeat.modelName, heartbeat.modelVersion, heartbeat.slotState.rawValue,
                    heartbeat.uptimeSeconds, heartbeat.framesPerSecond, heartbeat.droppedFrames,
                    heartbeat.journalDepth, heartbeat.syncLagSeconds, heartbeat.temperatureCelsius,
                    heartbeat.throttled, heartbeat.freeDiskBytes,
                ])
            try db.execute(sql: "UPDATE device SET last_seen_at = ? WHERE id = ?", arguments: [now, deviceId])
        }
    }
}
