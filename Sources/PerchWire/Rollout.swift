/// A request to roll a model version out (`POST /api/v1/rollouts`).
public struct RolloutCreateRequest: Codable, Sendable, Equatable {
    /// The model's name.
    public var modelName: String
    /// The model's version; it must be registered and signed.
    public var modelVersion: String
    /// Restrict the rollout to one device group; `nil` targets the whole fleet.
    public var group: String?
    /// The share of the targeted devices that get the model once every stage is done, 1…100.
    public var percentage: Int
    /// Cumulative stage sizes in percent of the target, strictly increasing, ending at 100.
    /// Defaults to `[10, 50, 100]`.
    public var stages: [Int]?
    /// The failure rate (0…1) of a stage's reporting devices above which the stage halts. Default 0.2.
    public var failureThreshold: Double?
    /// Reports a stage needs before the failure rate is judged. Default 1.
    public var minReports: Int?

    /// Creates a rollout request.
    public init(
        modelName: String,
        modelVersion: String,
        group: String? = nil,
        percentage: Int = 100,
        stages: [Int]? = nil,
        failureThreshold: Double? = nil,
        minReports: Int? = nil
    ) {
        self.modelName = modelName
        self.modelVersion = modelVersion
        self.group = group
        self.percentage = percentage
        self.stages = stages
        self.failureThreshold = failureThreshold
        self.minReports = minReports
    }
}

/// The state of a rollout.
public enum RolloutState: String, Codable, Sendable, CaseIterable {
    /// Devices in the current stage receive the model.
    case active
    /// An admin paused it: no new device receives the model.
    case paused
    /// The server paused it because a stage's failure rate passed the threshold.
    case halted
    /// Every stage is done.
    case completed
    /// An admin aborted it: devices go back to their previous assignment.
    case aborted
}

/// A rollout and its progress.
public struct Rollout: Codable, Sendable, Equatable {
    /// The rollout's identifier.
    public var id: Int64
    /// The model's name.
    public var modelName: String
    /// The model's version.
    public var modelVersion: String
    /// The targeted group, or `nil` for the whole fleet.
    public var group: String?
    /// The share of the targeted devices at the last stage.
    public var percentage: Int
    /// Cumulative stage sizes in percent of the target.
    public var stages: [Int]
    /// The index of the current stage in `stages`.
    public var currentStage: Int
    /// The state.
    public var state: RolloutState
    /// The failure threshold.
    public var failureThreshold: Double
    /// Reports needed before a stage is judged.
    public var minReports: Int
    /// Why the rollout was halted, if it was.
    public var haltReason: String?
    /// Per-stage activation statistics.
    public var stageStats: [StageStats]
    /// Creation time, Unix epoch milliseconds.
    public var createdAtMs: Int64

    /// Creates a rollout value.
    public init(
        id: Int64,
        modelName: String,
        modelVersion: String,
        group: String?,
        percentage: Int,
        stages: [Int],
        currentStage: Int,
        state: RolloutState,
        failureThreshold: Double,
        minReports: Int,
        haltReason: String?,
        stageStats: [StageStats],
        createdAtMs: Int64
    ) {
        self.id = id
        self.modelName = modelName
        self.modelVersion = modelVersion
        self.group = group
        self.percentage = percentage
        self.stages = stages
        self.currentStage = currentStage
        self.state = state
        self.failureThreshold = failureThreshold
        self.minReports = minReports
        self.haltReason = haltReason
        self.stageStats = stageStats
        self.createdAtMs = createdAtMs
    }
}

/// Activation statistics of one stage.
public struct StageStats: Codable, Sendable, Equatable {
    /// The stage's index.
    public var stage: Int
    /// Devices that reported for this stage.
    public var reportingDevices: Int
    /// Devices whose latest report for this stage is a failure.
    public var failedDevices: Int

    /// Creates stage statistics.
    public init(stage: Int, reportingDevices: Int, failedDevices: Int) {
        self.stage = stage
        self.reportingDevices = reportingDevices
        self.failedDevices = failedDevices
    }
}

/// The rollouts (`GET /api/v1/rollouts`).
public struct RolloutListResponse: Codable, Sendable, Equatable {
    /// The rollouts, newest first.
    public var rollouts: [Rollout]

    /// Creates a rollout list.
    public init(rollouts: [Rollout]) {
        self.rollouts = rollouts
    }
}

/// The answer to "which model should I run" (`GET /api/v1/device/assignment`).
public struct AssignmentResponse: Codable, Sendable, Equatable {
    /// The rollout that assigned the model, or `nil` when the device keeps what it has.
    public var rolloutId: Int64?
    /// The signed manifest of the assigned model, or `nil`.
    public var manifest: SignedManifest?

    /// Creates an assignment.
    public init(rolloutId: Int64?, manifest: SignedManifest?) {
        self.rolloutId = rolloutId
        self.manifest = manifest
    }
}

/// A device's report about activating a model (`POST /api/v1/device/activation`).
public struct ActivationReport: Codable, Sendable, Equatable {
    /// The rollout that assigned the model.
    public var rolloutId: Int64
    /// What happened.
    public var outcome: Outcome
    /// A short reason (for failures).
    public var detail: String?

    /// The outcome of an activation step.
    public enum Outcome: String, Codable, Sendable {
        /// The model was activated and is in its health window.
        case activated
        /// The health window passed: the model is committed.
        case healthy
        /// Verification, validation or activation failed.
        case failed
        /// The health window failed and the previous slot was restored.
        case rolledBack = "rolled_back"

        /// Whether the outcome counts against the stage's failure rate.
        public var isFailure: Bool { self == .failed || self == .rolledBack }
    }

    /// Creates an activation report.
    public init(rolloutId: Int64, outcome: Outcome, detail: String? = nil) {
        self.rolloutId = rolloutId
        self.outcome = outcome
        self.detail = detail
    }
}
