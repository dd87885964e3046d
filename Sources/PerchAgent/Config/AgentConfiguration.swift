/// Everything `perchd` reads from its TOML file, with every default in this one place.
///
/// Each property's initial value is the documented default; ``ConfigurationSchema`` maps TOML key
/// paths (for example `camera.fps`) onto these properties, checks types and ranges, and renders the
/// defaults table of `docs/perchd.md`.
public struct AgentConfiguration: Sendable, Equatable {
    /// `[device]`: identity and where the daemon keeps its state.
    public struct Device: Sendable, Equatable {
        /// The board name reported at enrollment (`rpi-zero-2w`, `rpi3b`, `rpi4b`, `rpi5`, `generic-linux`).
        public var board = "generic-linux"
        /// A stable hardware identifier; empty means `/etc/machine-id`.
        public var hardwareId = ""
        /// The device group to join at enrollment; empty means the server's default group.
        public var group = ""
        /// The state directory: journal, device token, model slots.
        public var stateDirectory = "/var/lib/perch"
    }

    /// `[camera]`: the frame source and its pace.
    public struct Camera: Sendable, Equatable {
        /// The frame source (`v4l2:/dev/video0`, `pipe:CMD`, `file:PATH`, `dir:PATH`).
        public var source = "v4l2:/dev/video0"
        /// The pixel format asked of a V4L2 camera (`mjpeg`, `yuyv`, `grey`).
        public var pixelFormat = "mjpeg"
        /// Capture width, pixels.
        public var width = 640
        /// Capture height, pixels.
        public var height = 480
        /// Frames per second when the board is cool.
        public var framesPerSecond = 5.0
        /// Run inference on every Nth captured frame.
        public var inferEvery = 1
        /// Loop a `dir:`/`file:` source forever (tests, demos).
        public var loop = false
    }

    /// `[model]`: the factory model and the interpreter's limits.
    public struct Model: Sendable, Equatable {
        /// The factory model, used until an over-the-air model is committed.
        public var path = "/usr/share/perch/models/cat_v1.tflite"
        /// Its sidecar JSON (labels, normalization); empty means the model path with `.json`.
        public var sidecar = ""
        /// Input normalization (`[0,255]`, `[0,1]`, `[-1,1]`, `imagenet`); empty means the sidecar's.
        public var normalization = ""
        /// Model name reported with results when no manifest names it.
        public var name = "cat"
        /// Model version reported with results when no manifest names it.
        public var version = "v1"
        /// Inference threads (the core runs one; kept for boards that get a multi-threaded backend).
        public var threads = 1
        /// The memory budget of the tensor arena, MiB; a model needing more is refused.
        public var memoryBudgetMiB = 16
    }

    /// `[postprocess]`: scores, labels, class groups and events.
    public struct PostProcess: Sendable, Equatable {
        /// Class groups: output label → group label (`tabby` → `cat`); scores of a group add up.
        public var groups: [String: [String]] = [:]
        /// Labels that produce events ("cat appeared", "cat left").
        public var eventLabels = ["cat"]
        /// A tracked label turns on when its score stays at or above this.
        public var thresholdOn = 0.7
        /// A tracked label turns off when its score stays below this (hysteresis: ≤ `thresholdOn`).
        public var thresholdOff = 0.5
        /// How long a score must stay past a threshold before the state flips, milliseconds.
        public var minimumDurationMs = 1000
        /// Journal every Nth plain result (events are always journaled); 0 journals events only.
        public var resultEvery = 1
        /// Attach the frame as a JPEG snapshot to events when it is MJPEG and small enough.
        public var snapshot = true
        /// The largest snapshot kept, bytes.
        public var snapshotMaxBytes = 32_768
    }

    /// `[journal]`: the SQLite result journal.
    public struct Journal: Sendable, Equatable {
        /// The journal file; empty means `<state_dir>/journal.sqlite`.
        public var path = ""
        /// Commit buffered results at this interval, milliseconds (the SD card's write budget).
        public var commitIntervalMs = 5000
        /// The journal's cap, MiB of stored rows.
        public var maxMiB = 64
        /// The journal's cap, rows.
        public var maxRows = 200_000
    }

    /// `[sync]`: upload to `perch-server`.
    public struct Sync: Sendable, Equatable {
        /// The server's base URL (`https://fleet.example:8443`); empty keeps the device offline.
        public var serverURL = ""
        /// The file holding the fleet enrollment secret.
        public var enrollmentSecretFile = ""
        /// A PEM CA bundle that verifies the server; empty means the system's trust roots.
        public var caFile = ""
        /// Results per upload.
        public var batchSize = 500
        /// Pause between uploads when the journal is drained, milliseconds.
        public var intervalMs = 10_000
        /// First retry delay, milliseconds (exponential backoff with full jitter).
        public var backoffInitialMs = 1000
        /// Largest retry delay, milliseconds.
        public var backoffMaxMs = 300_000
        /// Heartbeat interval, seconds.
        public var heartbeatIntervalS = 60
        /// Timeout of one HTTP request, milliseconds.
        public var requestTimeoutMs = 15_000
    }

    /// `[ota]`: over-the-air model updates.
    public struct OTA: Sendable, Equatable {
        /// Poll for the assigned model.
        public var enabled = true
        /// Poll interval, seconds (jittered).
        public var pollIntervalS = 300
        /// The fleet's Ed25519 public key, base64 of the raw 32 bytes.
        public var fleetPublicKey = ""
        /// Frames a new model must infer cleanly before it is committed.
        public var healthFrames = 50
        /// The latency bound of the health window, milliseconds.
        public var maxLatencyMs = 1000
    }

    /// `[health]`: the local health and metrics endpoint.
    public struct Health: Sendable, Equatable {
        /// Serve `/healthz` and `/metrics`.
        public var enabled = true
        /// The address to bind, `host:port` (loopback by default).
        public var listen = "127.0.0.1:9464"

        /// `listen` split into host and port; nil unless it is `host:port` with a port in 0…65535.
        public var address: (host: String, port: Int)? {
            guard let colon = listen.lastIndex(of: ":"), colon != listen.startIndex,
                let port = Int(listen[listen.index(after: colon)...]), (0...65_535).contains(port)
            else { return nil }
            return (String(listen[..<colon]), port)
        }
    }

    /// `[thermal]`: the thermal governor.
    public struct Thermal: Sendable, Equatable {
        /// The SoC temperature, millidegrees Celsius.
        public var temperaturePath = "/sys/class/thermal/thermal_zone0/temp"
        /// The Raspberry Pi firmware's throttle flags (hex); empty or absent means unknown.
        public var throttlePath = "/sys/devices/platform/soc/soc:firmware/get_throttled"
        /// Slow down at or above this temperature, °C.
        public var hotCelsius = 75.0
        /// Restore the full rate at or below this temperature, °C (< `hotCelsius`).
        public var coolCelsius = 65.0
        /// The frame rate while hot or throttled.
        public var throttledFramesPerSecond = 1.0
        /// How often the governor reads the sensors, seconds.
        public var pollIntervalS = 5
    }

    /// `[logging]`.
    public struct Logging: Sendable, Equatable {
        /// The log level (`trace` … `critical`).
        public var level = "info"
    }

    /// `[device]`.
    public var device = Device()
    /// `[camera]`.
    public var camera = Camera()
    /// `[model]`.
    public var model = Model()
    /// `[postprocess]`.
    public var postProcess = PostProcess()
    /// `[journal]`.
    public var journal = Journal()
    /// `[sync]`.
    public var sync = Sync()
    /// `[ota]`.
    public var ota = OTA()
    /// `[health]`.
    public var health = Health()
    /// `[thermal]`.
    public var thermal = Thermal()
    /// `[logging]`.
    public var logging = Logging()

    /// The defaults.
    public init() {}

    /// The journal file, resolving the empty default against the state directory.
    public var journalPath: String {
        journal.path.isEmpty ? device.stateDirectory + "/journal.sqlite" : journal.path
    }

    /// The sidecar file, resolving the empty default against the model path.
    public var sidecarPath: String {
        guard model.sidecar.isEmpty else { return model.sidecar }
        let path = model.path
        if path.hasSuffix(".tflite") { return String(path.dropLast(".tflite".count)) + ".json" }
        return path + ".json"
    }

    /// The memory budget in bytes.
    public var memoryBudgetBytes: Int { model.memoryBudgetMiB * 1024 * 1024 }
}
