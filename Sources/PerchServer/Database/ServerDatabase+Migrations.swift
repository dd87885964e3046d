import GRDB

extension ServerDatabase {
    /// The schema, as an ordered list of migrations; never edit a shipped migration, add one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-devices-results") { db in
            try db.execute(
                sql: """
                    CREATE TABLE device (
                        id TEXT PRIMARY KEY NOT NULL,
                        hardware_id TEXT NOT NULL UNIQUE,
                        board TEXT NOT NULL,
                        group_name TEXT NOT NULL,
                        token_hash BLOB NOT NULL,
                        enrolled_at INTEGER NOT NULL,
                        last_seen_at INTEGER,
                        revoked_at INTEGER
                    );
                    CREATE TABLE result (
                        device_id TEXT NOT NULL REFERENCES device(id),
                        seq INTEGER NOT NULL,
                        captured_at INTEGER NOT NULL,
                        monotonic_ns INTEGER,
                        kind TEXT NOT NULL,
                        model_name TEXT NOT NULL,
                        model_version TEXT NOT NULL,
                        label TEXT NOT NULL,
                        score REAL NOT NULL,
                        latency_ms REAL NOT NULL,
                        throttled INTEGER NOT NULL,
                        has_snapshot INTEGER NOT NULL,
                        received_at INTEGER NOT NULL,
                        PRIMARY KEY (device_id, seq)
                    ) WITHOUT ROWID;
                    CREATE TABLE snapshot (
                        device_id TEXT NOT NULL,
                        seq INTEGER NOT NULL,
                        jpeg BLOB NOT NULL,
                        PRIMARY KEY (device_id, seq),
                        FOREIGN KEY (device_id, seq) REFERENCES result(device_id, seq)
                    ) WITHOUT ROWID;
                    CREATE TABLE heartbeat (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        device_id TEXT NOT NULL REFERENCES device(id),
                        received_at INTEGER NOT NULL,
                        model_name TEXT,
                        model_version TEXT,
                        slot_state TEXT NOT NULL,
                        uptime_seconds INTEGER NOT NULL,
                        frames_per_second REAL NOT NULL,
                        dropped_frames INTEGER NOT NULL,
                        journal_depth INTEGER NOT NULL,
                        sync_lag_seconds REAL NOT NULL,
                        temperature_celsius REAL,
                        throttled INTEGER NOT NULL,
                        free_disk_bytes INTEGER NOT NULL
                    );
                    """
            )
        }
        migrator.registerMigration("v2-models-rollouts") { db in
            try db.execute(
                sql: """
                    CREATE TABLE model (
                        name TEXT NOT NULL,
                        version TEXT NOT NULL,
                        sha256 TEXT NOT NULL,
                        size INTEGER NOT NULL,
                        manifest BLOB NOT NULL,
                        signature BLOB,
                        key_id TEXT,
                        created_at INTEGER NOT NULL,
                        PRIMARY KEY (name, version)
                    );
                    CREATE TABLE rollout (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        model_name TEXT NOT NULL,
                        model_version TEXT NOT NULL,
                        group_name TEXT,
                        percentage INTEGER NOT NULL,
                        stages TEXT NOT NULL,
                        current_stage INTEGER NOT NULL,
                        state TEXT NOT NULL,
                        failure_threshold REAL NOT NULL,
                        min_reports INTEGER NOT NULL,
                        halt_reason TEXT,
                        created_at INTEGER NOT NULL,
                        FOREIGN KEY (model_name, model_version) REFERENCES model(name, version)
                    );
                    CREATE TABLE activation_report (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        rollout_id INTEGER NOT NULL REFERENCES rollout(id),
                        device_id TEXT NOT NULL REFERENCES device(id),
                        stage INTEGER NOT NULL,
                        outcome TEXT NOT NULL,
                        detail TEXT,
                        received_at INTEGER NOT NULL
                    );
                    """
            )
        }
        migrator.registerMigration("v3-query-indexes") { db in
            try db.execute(
                sql: """
                    CREATE INDEX result_by_time ON result(captured_at);
                    CREATE INDEX result_by_device_time ON result(device_id, captured_at);
                    CREATE INDEX result_by_label_time ON result(label, captured_at);
                    CREATE INDEX heartbeat_by_device ON heartbeat(device_id, id);
                    CREATE INDEX activation_by_rollout ON activation_report(rollout_id, stage, device_id, id);
                    """
            )
        }
        return migrator
    }
}
