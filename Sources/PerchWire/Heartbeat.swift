/// A device's periodic health report (`POST /api/v1/device/heartbeat`).
public struct Heartbeat: Codable, Sendable, Equatable {
    /// The active model's name, if any.
    public var modelName: String?
    /// The active model's version, if any.
    public var modelVersion: String?
    /// The state of the model slots.
    public var slotState: SlotState
    /// Seconds since the daemon started.
    public var uptimeSeconds: Int64
    /// Inference frames per second over the last interval.
    public var framesPerSecond: Double
    /// Frames dropped for load since start.
    public var droppedFrames: Int64
    /// Results waiting in the device's journal.
    public var journalDepth: Int64
    /// Age of the oldest unsynced result, seconds.
    public var syncLagSeconds: Double
    /// SoC temperature, degrees Celsius, if known.
    public var temperatureCelsius: Double?
    /// Whether the board is throttled now.
    public var throttled: Bool
    /// Free bytes on the data partition.
    public var freeDiskBytes: Int64

    /// The state of the device's two model slots.
    public enum SlotState: String, Codable, Sendable {
        /// One committed model, nothing pending.
        case committed
        /// A new model is downloading into the staging slot.
        case downloading
        /// A new model is active and inside its health window.
        case probation
        /// The last activation failed and the previous slot was restored.
        case rolledBack = "rolled_back"
        /// No model is installed.
        case empty
    }

    /// Creates a heartbeat.
    public init(
        modelName: String?,
        modelVersion: String?,
        slotState: SlotState,
        uptimeSeconds: Int64,
        framesPerSecond: Double,
        droppedFrames: Int64,
        journalDepth: Int64,
        syncLagSeconds: Double,
        temperatureCelsius: Double?,
        throttled: Bool,
        freeDiskBytes: Int64
    ) {
        self.modelName = modelName
        self.modelVersion = modelVersion
        self.slotState = slotState
        self.uptimeSeconds = uptimeSeconds
        self.framesPerSecond = framesPerSecond
        self.droppedFrames = droppedFrames
        self.journalDepth = journalDepth
        self.syncLagSeconds = syncLagSeconds
        self.temperatureCelsius = temperatureCelsius
        self.throttled = throttled
        self.freeDiskBytes = freeDiskBytes
    }
}

/// The server's reply to a heartbeat.
public struct HeartbeatResponse: Codable, Sendable, Equatable {
    /// The server's wall clock, Unix epoch milliseconds (lets an RTC-less board estimate its offset).
    public var serverTimeMs: Int64

    /// Creates a heartbeat reply.
    public init(serverTimeMs: Int64) {
        self.serverTimeMs = serverTimeMs
    }
}

/// One device as the admin API lists it.
public struct DeviceSummary: Codable, Sendable, Equatable {
    /// The device's identifier.
    public var deviceId: String
    /// The hardware identifier it enrolled with.
    public var hardwareId: String
    /// The board model.
    public var board: String
    /// The device group.
    public var group: String
    /// Enrollment time, Unix epoch milliseconds.
    public var enrolledAtMs: Int64
    /// Last authenticated request, Unix epoch milliseconds.
    public var lastSeenAtMs: Int64?
    /// Whether the device's token is revoked.
    public var revoked: Bool
    /// The highest result sequence stored.
    public var highestSeq: Int64?
    /// The last heartbeat, if any.
    public var lastHeartbeat: Heartbeat?

    /// Creates a device summary.
    public init(
        deviceId: String,
        hardwareId: String,
        board: String,
        group: String,
        enrolledAtMs: Int64,
        lastSeenAtMs: Int64?,
        revoked: Bool,
        highestSeq: Int64?,
        lastHeartbeat: Heartbeat?
    ) {
        self.deviceId = deviceId
        self.hardwareId = hardwareId
        self.board = board
        self.group = group
        self.enrolledAtMs = enrolledAtMs
        self.lastSeenAtMs = lastSeenAtMs
        self.revoked = revoked
        self.highestSeq = highestSeq
        self.lastHeartbeat = lastHeartbeat
    }
}

/// The fleet's devices (`GET /api/v1/devices`).
public struct DeviceListResponse: Codable, Sendable, Equatable {
    /// The devices, ordered by enrollment.
    public var devices: [DeviceSummary]

    /// Creates a device list.
    public init(devices: [DeviceSummary]) {
        self.devices = devices
    }
}
