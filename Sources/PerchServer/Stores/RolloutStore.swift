import Crypto
import Foundation
import GRDB
import PerchWire

/// Staged rollouts: creation, admin transitions, device activation reports with auto-halt, and the
/// per-device assignment ("which model should I run").
///
/// A device belongs to a rollout's current stage when it is in the targeted group and its bucket
/// (SHA-256 of rollout id and device id, modulo 10 000) is below `percentage × stages[current]`
/// (in basis points), so stages grow the same set of devices.
public struct RolloutStore: Sendable {
    let database: ServerDatabase
    let registry: ModelRegistry

    /// Default cumulative stages, in percent of the target.
    static let defaultStages = [10, 50, 100]

    /// Validates and creates a rollout of a registered, signed model version.
    ///
    /// - Throws: ``APIError`` 400 (bad parameters), 404 (unknown model), 409 (unsigned model, or
    ///   an unfinished rollout already targets the same group).
    func create(_ request: RolloutCreateRequest) async throws -> Rollout {
        let stages = request.stages ?? Self.defaultStages
        let threshold = request.failureThreshold ?? 0.2
        let minReports = request.minReports ?? 1
        guard (1...100).contains(request.percentage) else { throw APIError.invalid("percentage must be 1…100") }
        guard !stages.isEmpty, stages.count <= 20, stages.last == 100, stages.allSatisfy({ (1...100).contains($0) }),
            zip(stages, stages.dropFirst()).allSatisfy({ $0 < $1 })
        else { throw APIError.invalid("stages must increase strictly within 1…100 and end at 100") }
        guard threshold.isFinite, (0...1).contains(threshold) else {
            throw APIError.invalid("failureThreshold must be within 0…1")
        }
        guard minReports >= 1 else { throw APIError.invalid("minReports must be at least 1") }
        if let group = request.group { try Self.validateGroup(group) }
        guard let manifest = try await registry.signedManifest(name: request.modelName, version: request.modelVersion)
        else { throw APIError.notFound("unknown model \(request.modelName) \(request.modelVersion)") }
        guard registry.signingKey.verify(manifest) else {
            throw APIError.conflict("model is not signed with the fleet key; attach a signature first")
        }
        let now = WallClock.nowMs()
        let stagesText = stages.map(String.init).joined(separator: ",")
        let id = try await database.pool.write { db -> Int64 in
            let open =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) FROM rollout WHERE state IN ('active', 'paused', 'halted') AND group_name IS ?
                        """,
                    arguments: [request.group]) ?? 0
            guard open == 0 else {
                throw APIError.conflict("an unfinished rollout targets this group; complete or abort it first")
            }
            try db.execute(
                sql: """
                    INSERT INTO rollout (model_name, model_version, group_name, percentage, stages, current_stage,
                        state, failure_threshold, min_reports, created_at)
                    VALUES (?, ?, ?, ?, ?, 0, 'active', ?, ?, ?)
                    """,
                arguments: [
                    request.modelName, request.modelVersion, request.group, request.percentage, stagesText,
                    threshold, minReports, now,
                ])
            return db.lastInsertedRowID
        }
        return try await rollout(id: id)
    }

    /// One rollout with its stage statistics.
    ///
    /// - Throws: ``APIError`` 404.
    public func rollout(id: Int64) async throws -> Rollout {
        guard let rollout = try await database.pool.read({ db in try Self.fetch(db, id: id) }) else {
            throw APIError.notFound("unknown rollout \(id)")
        }
        return rollout
    }

    /// All rollouts, newest first.
    public func list() async throws -> [Rollout] {
        try await database.pool.read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM rollout ORDER BY id DESC").compactMap {
                try Self.fetch(db, id: $0)
            }
        }
    }

    /// An admin transition.
    public enum Action: String, Sendable {
        /// Next stage; after the last, completed.
        case promote
        /// Stop handing the model to new devices.
        case pause
        /// Continue a paused or halted rollout.
        case resume
        /// Stop and send devices back to their previous assignment.
        case abort
    }

    /// Applies an admin transition.
    ///
    /// - Throws: ``APIError`` 404 (unknown) or 409 (not allowed in the current state).
    func apply(_ action: Action, to id: Int64) async throws -> Rollout {
        try await database.pool.write { db in
            guard let current = try Self.fetch(db, id: id) else { throw APIError.notFound("unknown rollout \(id)") }
            let state: RolloutState
            var stage = current.currentStage
            switch (action, current.state) {
            case (.promote, .active):
                if stage + 1 < current.stages.count {
                    stage += 1
                    state = .active
                } else {
                    state = .completed
                }
            case (.pause, .active): state = .paused
            case (.resume, .paused), (.resume, .halted): state = .active
            case (.abort, .active), (.abort, .paused), (.abort, .halted): state = .aborted
            default:
                throw APIError.conflict("cannot \(action.rawValue) a rollout that is \(current.state.rawValue)")
            }
            try db.execute(
                sql: "UPDATE rollout SET state = ?, current_stage = ?, halt_reason = ? WHERE id = ?",
                arguments: [state.rawValue, stage, state == .active ? nil : current.haltReason, id])
        }
        return try await rollout(id: id)
    }

    /// Stores a device's activation report and halts the stage when its failure rate passes the threshold.
    ///
    /// - Returns: The rollout after the report.
    /// - Throws: ``APIError`` 404 (unknown rollout), 409 (device outside the rollout's group), 400 (detail too long).
    func report(_ report: ActivationReport, device: AuthenticatedDevice) async throws -> Rollout {
        guard (report.detail?.utf8.count ?? 0) <= 500 else { throw APIError.invalid("detail exceeds 500 bytes") }
        let now = WallClock.nowMs()
        try await database.pool.write { db in
            guard let rollout = try Self.fetch(db, id: report.rolloutId) else {
                throw APIError.notFound("unknown rollout \(report.rolloutId)")
            }
            guard rollout.group == nil || rollout.group == device.group else {
                throw APIError.conflict("device is not targeted by this rollout")
            }
            // Only devices the rollout has handed the model to report: those covered by a stage so far,
            // or (after a pause or halt) those that reported before.
            let reportedBefore =
                try Bool.fetchOne(
                    db, sql: "SELECT 1 FROM activation_report WHERE rollout_id = ? AND device_id = ? LIMIT 1",
                    arguments: [rollout.id, device.id]) ?? false
            let covered =
                rollout.state != .aborted
                && Self.bucket(rolloutId: rollout.id, deviceId: device.id) < Self.coverage(rollout)
            guard covered || reportedBefore else {
                throw APIError.conflict("the rollout has not assigned this model to this device")
            }
            try db.execute(
                sql: """
                    INSERT INTO activation_report (rollout_id, device_id, stage, outcome, detail, received_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [rollout.id, device.id, rollout.currentStage, report.outcome.rawValue, report.detail, now])
            try db.execute(sql: "UPDATE device SET last_seen_at = ? WHERE id = ?", arguments: [now, device.id])
            guard rollout.state == .active,
                let stats = try Self.stageStats(db, rolloutId: rollout.id).first(where: {
                    $0.stage == rollout.currentStage
                }),
                stats.reportingDevices >= rollout.minReports
            else { return }
            let rate = Double(stats.failedDevices) / Double(stats.reportingDevices)
            if rate > rollout.failureThreshold {
                let reason =
                    "stage \(rollout.currentStage): \(stats.failedDevices) of \(stats.reportingDevices) devices failed, "
                    + "above the threshold \(rollout.failureThreshold)"
                try db.execute(
                    sql: "UPDATE rollout SET state = 'halted', halt_reason = ? WHERE id = ?",
                    arguments: [reason, rollout.id])
            }
        }
        return try await rollout(id: report.rolloutId)
    }

    /// The rollout and signed manifest this device should run, or `nil` to keep what it has.
    ///
    /// Newest rollout first: an active or completed rollout whose coverage includes the device wins;
    /// a paused or halted one only for devices that already activated it; aborted rollouts and
    /// versions this device reported as failed are skipped, falling back to older rollouts.
    func assignment(for device: AuthenticatedDevice) async throws -> (rolloutId: Int64, manifest: SignedManifest)? {
        let chosen = try await database.pool.read { db -> Rollout? in
            let ids = try Int64.fetchAll(
                db,
                sql: "SELECT id FROM rollout WHERE state != 'aborted' AND (group_name IS NULL OR group_name = ?) "
                    + "ORDER BY id DESC", arguments: [device.group])
            for id in ids {
                guard let rollout = try Self.fetch(db, id: id, withStats: false) else { continue }
                let latest = try String.fetchOne(
                    db,
                    sql: "SELECT outcome FROM activation_report WHERE rollout_id = ? AND device_id = ? "
                        + "ORDER BY id DESC LIMIT 1", arguments: [id, device.id]
                ).flatMap(ActivationReport.Outcome.init(rawValue:))
                if latest?.isFailure == true { continue }
                switch rollout.state {
                case .active, .completed:
                    if Self.bucket(rolloutId: id, deviceId: device.id) < Self.coverage(rollout) { return rollout }
                case .paused, .halted:
                    if latest != nil { return rollout }
                case .aborted:
                    continue
                }
            }
            return nil
        }
        guard let chosen,
            let manifest = try await registry.signedManifest(name: chosen.modelName, version: chosen.modelVersion)
        else { return nil }
        return (chosen.id, manifest)
    }

    /// Rollout counts by state (for metrics).
    public func countsByState() async throws -> [RolloutState: Int] {
        try await database.pool.read { db in
            var counts: [RolloutState: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM rollout GROUP BY state") {
                if let state = RolloutState(rawValue: row["state"]) { counts[state] = row["n"] }
            }
            return counts
        }
    }

    // MARK: - Helpers

    /// The share of targeted devices covered now, in basis points (0…10 000).
    static func coverage(_ rollout: Rollout) -> Int {
        rollout.state == .completed
            ? rollout.percentage * 100 : rollout.percentage * rollout.stages[rollout.currentStage]
    }

    /// A device's stable position (0…9 999) within one rollout.
    static func bucket(rolloutId: Int64, deviceId: String) -> Int {
        let digest = Array(SHA256.hash(data: Data("\(rolloutId):\(deviceId)".utf8)))
        let value = digest.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return Int(value % 10_000)
    }

    static func validateGroup(_ group: String) throws {
        guard !group.isEmpty, group.utf8.count <= 64,
            group.unicodeScalars.allSatisfy({
                CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)
            })
        else { throw APIError.invalid("group must have 1 to 64 letters, digits, '-', '_' or '.'") }
    }

    private static func fetch(_ db: Database, id: Int64, withStats: Bool = true) throws -> Rollout? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM rollout WHERE id = ?", arguments: [id]) else {
            return nil
        }
        let stagesText: String = row["stages"]
        return Rollout(
            id: row["id"], modelName: row["model_name"], modelVersion: row["model_version"], group: row["group_name"],
            percentage: row["percentage"], stages: stagesText.split(separator: ",").compactMap { Int($0) },
            currentStage: row["current_stage"], state: RolloutState(rawValue: row["state"]) ?? .paused,
            failureThreshold: row["failure_threshold"], minReports: row["min_reports"], haltReason: row["halt_reason"],
            stageStats: withStats ? try stageStats(db, rolloutId: id) : [], createdAtMs: row["created_at"])
    }

    private static func stageStats(_ db: Database, rolloutId: Int64) throws -> [StageStats] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT stage, COUNT(*) AS devices, SUM(failed) AS failed FROM (
                    SELECT a.stage, a.device_id,
                        (SELECT b.outcome FROM activation_report b
                         WHERE b.rollout_id = a.rollout_id AND b.stage = a.stage AND b.device_id = a.device_id
                         ORDER BY b.id DESC LIMIT 1) IN ('failed', 'rolled_back') AS failed
                    FROM activation_report a WHERE a.rollout_id = ? GROUP BY a.stage, a.device_id
                ) GROUP BY stage ORDER BY stage
                """,
            arguments: [rolloutId]
        ).map { StageStats(stage: $0["stage"], reportingDevices: $0["devices"], failedDevices: $0["failed"]) }
    }
}
