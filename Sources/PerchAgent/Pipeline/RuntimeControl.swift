import Synchronization

/// The settings threads read per frame and `SIGHUP`/the thermal governor change while running.
public final class RuntimeControl: Sendable {
    /// A snapshot of the settings.
    public struct Settings: Sendable, Equatable {
        /// Frames per second when cool.
        public var framesPerSecond: Double
        /// Frames per second while throttled.
        public var throttledFramesPerSecond: Double
        /// Infer every Nth frame.
        public var inferEvery: Int
        /// Journal every Nth plain result (0: events only).
        public var resultEvery: Int
        /// Post-processing.
        public var postProcess: PostProcessSettings
        /// Whether the board is hot or throttled now.
        public var throttled = false
        /// Whether the pipeline should stop.
        public var stopping = false

        /// The rate to capture at now.
        public var effectiveFramesPerSecond: Double { throttled ? throttledFramesPerSecond : framesPerSecond }
    }

    let state: Mutex<Settings>

    /// Creates the control from a configuration.
    public init(_ configuration: AgentConfiguration) {
        state = Mutex(Self.settings(configuration, throttled: false))
    }

    static func settings(_ configuration: AgentConfiguration, throttled: Bool) -> Settings {
        Settings(
            framesPerSecond: configuration.camera.framesPerSecond,
            throttledFramesPerSecond: configuration.thermal.throttledFramesPerSecond,
            inferEvery: configuration.camera.inferEvery, resultEvery: configuration.postProcess.resultEvery,
            postProcess: PostProcessSettings(configuration.postProcess), throttled: throttled)
    }

    /// The current settings.
    public var settings: Settings { state.withLock { $0 } }

    /// Applies a reloaded configuration's hot settings (rates, thresholds); keeps the throttle state.
    public func reload(_ configuration: AgentConfiguration) {
        state.withLock { state in
            state = Self.settings(configuration, throttled: state.throttled)
        }
    }

    /// Sets the throttle state (the thermal governor).
    public func setThrottled(_ throttled: Bool) { state.withLock { $0.throttled = throttled } }

    /// Asks the pipeline to stop.
    func requestStop() { state.withLock { $0.stopping = true } }
}
