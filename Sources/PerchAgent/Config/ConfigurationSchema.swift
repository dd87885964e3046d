import Foundation
import TOMLKit

/// The TOML schema of `perchd.toml`: key paths, types, ranges, and the properties they set.
///
/// Defaults are not repeated here: they are ``AgentConfiguration``'s initial values, read back
/// through the same key paths for documentation (``defaultsTable()``).
public enum ConfigurationSchema {
    /// One scalar key.
    public struct Field: Sendable {
        /// The dotted key path.
        public let path: String
        /// A one-line summary (the docs' table).
        public let summary: String
        /// The TOML type expected, for messages and docs.
        public let typeName: String
        /// The allowed values, for messages and docs.
        public let allowed: String
        let apply: @Sendable (any TOMLValueConvertible, inout AgentConfiguration) -> ConfigurationProblem.Reason?
        let render: @Sendable (AgentConfiguration) -> String
    }

    static func int(
        _ path: String, _ keyPath: WritableKeyPath<AgentConfiguration, Int> & Sendable, _ range: ClosedRange<Int>,
        _ summary: String
    ) -> Field {
        Field(
            path: path, summary: summary, typeName: "integer", allowed: "\(range.lowerBound)…\(range.upperBound)",
            apply: { value, configuration in
                guard let int = value.int else { return .wrongType(expected: "integer", found: typeName(value)) }
                guard range.contains(int) else {
                    return .outOfRange(value: "\(int)", allowed: "\(range.lowerBound)…\(range.upperBound)")
                }
                configuration[keyPath: keyPath] = int
                return nil
            }, render: { "\($0[keyPath: keyPath])" })
    }

    static func double(
        _ path: String, _ keyPath: WritableKeyPath<AgentConfiguration, Double> & Sendable,
        _ range: ClosedRange<Double>, _ summary: String
    ) -> Field {
        Field(
            path: path, summary: summary, typeName: "number", allowed: "\(range.lowerBound)…\(range.upperBound)",
            apply: { value, configuration in
                // TOML distinguishes 5 from 5.0; a number is a number here.
                guard let number = value.double ?? value.int.map(Double.init) else {
                    return .wrongType(expected: "number", found: typeName(value))
                }
                guard range.contains(number) else {
                    return .outOfRange(value: "\(number)", allowed: "\(range.lowerBound)…\(range.upperBound)")
                }
                configuration[keyPath: keyPath] = number
                return nil
            }, render: { "\($0[keyPath: keyPath])" })
    }

    static func bool(
        _ path: String, _ keyPath: WritableKeyPath<AgentConfiguration, Bool> & Sendable, _ summary: String
    ) -> Field {
        Field(
            path: path, summary: summary, typeName: "boolean", allowed: "true, false",
            apply: { value, configuration in
                guard let bool = value.bool else { return .wrongType(expected: "boolean", found: typeName(value)) }
                configuration[keyPath: keyPath] = bool
                return nil
            }, render: { "\($0[keyPath: keyPath])" })
    }

    static func string(
        _ path: String, _ keyPath: WritableKeyPath<AgentConfiguration, String> & Sendable, _ summary: String,
        allowed: [String]? = nil, validate: (@Sendable (String) -> String?)? = nil
    ) -> Field {
        Field(
            path: path, summary: summary, typeName: "string", allowed: allowed?.joined(separator: ", ") ?? "any",
            apply: { value, configuration in
                guard let string = value.string else { return .wrongType(expected: "string", found: typeName(value)) }
                if let allowed, !allowed.contains(string) {
                    return .outOfRange(value: "\"\(string)\"", allowed: allowed.joined(separator: ", "))
                }
                if let why = validate?(string) { return .invalid(why) }
                configuration[keyPath: keyPath] = string
                return nil
            }, render: { "\"\($0[keyPath: keyPath])\"" })
    }

    static func strings(
        _ path: String, _ keyPath: WritableKeyPath<AgentConfiguration, [String]> & Sendable, _ summary: String
    ) -> Field {
        Field(
            path: path, summary: summary, typeName: "array of strings", allowed: "any",
            apply: { value, configuration in
                guard let array = value.array else {
                    return .wrongType(expected: "array of strings", found: typeName(value))
                }
                var strings: [String] = []
                for element in array {
                    guard let string = element.string else {
                        return .wrongType(expected: "array of strings", found: "array containing \(typeName(element))")
                    }
                    strings.append(string)
                }
                configuration[keyPath: keyPath] = strings
                return nil
            }, render: { "[" + $0[keyPath: keyPath].map { "\"\($0)\"" }.joined(separator: ", ") + "]" })
    }

    /// The table whose keys are free-form (group names), each an array of strings.
    public static let groupsTable = "postprocess.groups"

    /// Every scalar key of the schema.
    public static let fields: [Field] = [
        string("device.board", \.device.board, "Board name sent at enrollment.", allowed: boards),
        string("device.hardware_id", \.device.hardwareId, "Stable hardware id; empty means /etc/machine-id."),
        string("device.group", \.device.group, "Device group to join; empty means the server's default."),
        string("device.state_dir", \.device.stateDirectory, "Journal, token and model slots.", validate: nonEmpty),
        string(
            "camera.source", \.camera.source, "Frame source: v4l2:DEV, pipe:CMD, file:PATH, dir:PATH.",
            validate: sourceProblem),
        string("camera.pixel_format", \.camera.pixelFormat, "V4L2 pixel format.", allowed: ["mjpeg", "yuyv", "grey"]),
        int("camera.width", \.camera.width, 16...4096, "Capture width, pixels."),
        int("camera.height", \.camera.height, 16...4096, "Capture height, pixels."),
        double("camera.fps", \.camera.framesPerSecond, 0.1...120, "Frames per second when cool."),
        int("camera.infer_every", \.camera.inferEvery, 1...1000, "Infer every Nth captured frame."),
        bool("camera.loop", \.camera.loop, "Loop a dir:/file: source."),
        string("model.path", \.model.path, "Factory model (.tflite).", validate: nonEmpty),
        string("model.sidecar", \.model.sidecar, "Sidecar JSON; empty means model path with .json."),
        string(
            "model.normalization", \.model.normalization, "Input normalization override.",
            allowed: ["", "[0,255]", "[0,1]", "[-1,1]", "imagenet"]),
        string("model.name", \.model.name, "Model name for results when no manifest names it.", validate: nonEmpty),
        string("model.version", \.model.version, "Model version for results.", validate: nonEmpty),
        int("model.threads", \.model.threads, 1...8, "Inference threads."),
        int("model.memory_budget_mib", \.model.memoryBudgetMiB, 1...4096, "A model's working memory budget (tensor arena + prepared weight copies), MiB."),
        strings("postprocess.event_labels", \.postProcess.eventLabels, "Labels that produce events."),
        double("postprocess.threshold_on", \.postProcess.thresholdOn, 0...1, "Score that turns a label on."),
        double("postprocess.threshold_off", \.postProcess.thresholdOff, 0...1, "Score below which it turns off."),
        int(
            "postprocess.min_duration_ms", \.postProcess.minimumDurationMs, 0...3_600_000,
            "Time past a threshold before flipping."),
        int(
            "postprocess.result_every", \.postProcess.resultEvery, 0...100_000,
            "Journal every Nth plain result; 0 = events only."),
        bool("postprocess.snapshot", \.postProcess.snapshot, "Attach a JPEG snapshot to events."),
        int("postprocess.snapshot_max_bytes", \.postProcess.snapshotMaxBytes, 1024...65_536, "Largest snapshot."),
        string("journal.path", \.journal.path, "Journal file; empty means STATE_DIR/journal.sqlite."),
        int("journal.commit_interval_ms", \.journal.commitIntervalMs, 10...600_000, "Batched commit interval."),
        int("journal.max_mib", \.journal.maxMiB, 1...100_000, "Journal cap, MiB."),
        int("journal.max_rows", \.journal.maxRows, 100...100_000_000, "Journal cap, rows."),
        string("sync.server_url", \.sync.serverURL, "Server base URL; empty = offline.", validate: urlProblem),
        string("sync.enrollment_secret_file", \.sync.enrollmentSecretFile, "File with the enrollment secret."),
        string("sync.ca_file", \.sync.caFile, "PEM CA bundle for HTTPS; empty = system roots."),
        int("sync.batch_size", \.sync.batchSize, 1...5000, "Results per upload."),
        int("sync.interval_ms", \.sync.intervalMs, 10...3_600_000, "Pause when drained."),
        int("sync.backoff_initial_ms", \.sync.backoffInitialMs, 10...600_000, "First retry delay."),
        int("sync.backoff_max_ms", \.sync.backoffMaxMs, 10...86_400_000, "Largest retry delay."),
        int("sync.heartbeat_interval_s", \.sync.heartbeatIntervalS, 1...86_400, "Heartbeat interval."),
        int("sync.request_timeout_ms", \.sync.requestTimeoutMs, 100...600_000, "HTTP request timeout."),
        bool("ota.enabled", \.ota.enabled, "Poll for model updates."),
        int("ota.poll_interval_s", \.ota.pollIntervalS, 1...86_400, "Assignment poll interval."),
        string(
            "ota.fleet_public_key", \.ota.fleetPublicKey, "Fleet Ed25519 public key, base64 (32 bytes).",
            validate: publicKeyProblem),
        int("ota.health_frames", \.ota.healthFrames, 1...100_000, "Frames of the health window."),
        int("ota.max_latency_ms", \.ota.maxLatencyMs, 0...600_000, "Latency bound of the health window."),
        bool("health.enabled", \.health.enabled, "Serve /healthz and /metrics."),
        string("health.listen", \.health.listen, "host:port to bind.", validate: listenProblem),
        string("thermal.temperature_path", \.thermal.temperaturePath, "SoC temperature (m°C)."),
        string("thermal.throttle_path", \.thermal.throttlePath, "Raspberry Pi throttle flags."),
        double("thermal.hot_celsius", \.thermal.hotCelsius, 30...120, "Slow down at or above."),
        double("thermal.cool_celsius", \.thermal.coolCelsius, 20...119, "Restore at or below."),
        double("thermal.throttled_fps", \.thermal.throttledFramesPerSecond, 0.1...120, "Frame rate while hot."),
        int("thermal.poll_interval_s", \.thermal.pollIntervalS, 1...3600, "Sensor poll interval."),
        string(
            "logging.level", \.logging.level, "Log level.",
            allowed: ["trace", "debug", "info", "notice", "warning", "error", "critical"]),
    ]

    /// The boards with a tuned `firmware-configs/<board>/perchd.toml`.
    public static let boards = ["rpi-zero-2w", "rpi3b", "rpi4b", "rpi5", "generic-linux"]

    /// The tables of the schema.
    public static var tables: Set<String> {
        Set(fields.map { String($0.path.split(separator: ".")[0]) })
    }

    /// A Markdown table of every key, its type, range and default.
    public static func defaultsTable() -> String {
        let defaults = AgentConfiguration()
        var lines = ["| key | type | allowed | default | meaning |", "|---|---|---|---|---|"]
        for field in fields {
            lines.append(
                "| `\(field.path)` | \(field.typeName) | \(field.allowed) | `\(field.render(defaults))` | \(field.summary) |"
            )
        }
        lines.append(
            "| `\(groupsTable).<group>` | array of strings | labels | none | Output labels whose scores add up to `<group>`. |"
        )
        return lines.joined(separator: "\n")
    }

    // MARK: - Validators

    static func typeName(_ value: any TOMLValueConvertible) -> String {
        switch value.type {
        case .int: "integer"
        case .double: "number"
        case .bool: "boolean"
        default: value.type.rawValue
        }
    }

    static let nonEmpty: @Sendable (String) -> String? = { $0.isEmpty ? "must not be empty" : nil }

    static let sourceProblem: @Sendable (String) -> String? = { source in
        let prefixes = ["v4l2:", "pipe:", "file:", "dir:"]
        guard let prefix = prefixes.first(where: { source.hasPrefix($0) }) else {
            return "must start with v4l2:, pipe:, file: or dir:"
        }
        return source.count == prefix.count ? "\(prefix) needs a path or command" : nil
    }

    static let urlProblem: @Sendable (String) -> String? = { url in
        if url.isEmpty { return nil }
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            return "must start with http:// or https://"
        }
        return url.hasSuffix("/") ? "must not end with /" : nil
    }

    static let listenProblem: @Sendable (String) -> String? = { listen in
        AgentConfiguration.Health(listen: listen).address == nil ? "must be host:port with a port in 0…65535" : nil
    }

    static let publicKeyProblem: @Sendable (String) -> String? = { key in
        if key.isEmpty { return nil }
        guard let bytes = Data(base64Encoded: key) else { return "not valid base64" }
        return bytes.count == 32 ? nil : "an Ed25519 public key is 32 bytes, this is \(bytes.count)"
    }
}
