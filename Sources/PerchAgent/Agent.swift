import AsyncHTTPClient
import Foundation
import Logging
import PerchWire
import ServiceLifecycle
import UnixSignals

/// The whole daemon as services: journal, pipeline, sync and reload, ready for a `ServiceGroup`.
public final class Agent: Sendable {
    /// The configuration it started with.
    public let configuration: AgentConfiguration
    /// The result journal.
    public let journal: Journal
    /// Shared runtime settings.
    public let control: RuntimeControl
    /// The capture → inference pipeline.
    public let pipeline: Pipeline
    /// The uploader, when `sync.server_url` is set.
    public let sync: SyncService?
    /// Over-the-air updates, when a server and a fleet key are configured and `ota.enabled`.
    public let ota: OTAService?
    /// The model slots.
    public let slots: ModelSlots
    /// The thermal governor.
    public let thermal: ThermalGovernor
    let client: HTTPClient?
    let logger: Logger
    let started = ContinuousClock.now

    /// Builds the daemon: opens the journal, reads the factory model, prepares the HTTP client.
    ///
    /// - Throws: ``AgentError`` or a journal error.
    public init(configuration: AgentConfiguration, logger: Logger) throws {
        try FileManager.default.createDirectory(
            atPath: configuration.device.stateDirectory, withIntermediateDirectories: true)
        self.configuration = configuration
        self.logger = logger
        journal = try Journal(
            path: configuration.journalPath,
            limits: .init(
                maxBytes: Int64(configuration.journal.maxMiB) * 1024 * 1024,
                maxRows: Int64(configuration.journal.maxRows)))
        control = RuntimeControl(configuration)
        thermal = ThermalGovernor(settings: configuration.thermal, control: control, logger: logger)
        slots = try ModelSlots(stateDirectory: configuration.device.stateDirectory)
        let factory = try ModelPackage.factory(configuration)
        let (startModel, _) = try slots.bootModel(factory: factory)
        pipeline = Pipeline(
            configuration: configuration, model: startModel, journal: journal, control: control, logger: logger)
        if configuration.sync.serverURL.isEmpty {
            client = nil
            sync = nil
            ota = nil
        } else {
            let client = HTTPClient(
                eventLoopGroupProvider: .singleton, configuration: SyncService.clientConfiguration(configuration))
            self.client = client
            let ota =
                configuration.ota.enabled && !configuration.ota.fleetPublicKey.isEmpty
                ? OTAService(
                    configuration: configuration, slots: slots, pipeline: pipeline, factory: factory, client: client,
                    logger: logger) : nil
            self.ota = ota
            let pipeline = pipeline
            let journal = journal
            let control = control
            let started = started
            let thermal = thermal
            let slots = slots
            let stateDirectory = configuration.device.stateDirectory
            sync = SyncService(
                configuration: configuration, journal: journal, client: client, logger: logger,
                heartbeat: {
                    Agent.heartbeat(
                        pipeline: pipeline, journal: journal, control: control, thermal: thermal, started: started,
                        slotState: Agent.slotState(slots: slots, ota: ota),
                        freeDiskBytes: Agent.freeDiskBytes(at: stateDirectory))
                })
        }
    }

    /// The services in start order; graceful shutdown runs in reverse: the pipeline drains first, then sync
    /// stops, then the journal commits what is left.
    public func services() -> [ServiceGroupConfiguration.ServiceConfiguration] {
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(
                service: JournalService(
                    journal: journal, interval: .milliseconds(configuration.journal.commitIntervalMs), logger: logger)),
            .init(service: thermal),
        ]
        if let sync { services.append(.init(service: sync)) }
        if let ota { services.append(.init(service: ota)) }
        // A finite source (dir:, file:) ending is not a reason to stop syncing.
        services.append(.init(service: PipelineService(pipeline: pipeline), successTerminationBehavior: .ignore))
        if configuration.health.enabled {
            services.append(.init(service: HealthEndpoint.server(for: self, logger: logger)))
        }
        // Last to start, first to stop: READY=1 once everything runs, STOPPING=1 as shutdown begins.
        // The watchdog is petted only while frames move: a capture or inference thread hung for a minute (the
        // camera's reopen backoff is at most 8 s) lets systemd restart the daemon.
        let pipeline = pipeline
        services.append(
            .init(
                service: SystemdService(stallReason: {
                    pipeline.counters.snapshot.stallReason(
                        nowNs: Clocks.monotonicNanoseconds(), limitNs: Agent.stallLimitNs)
                })))
        return services
    }

    /// Shuts the HTTP client down (after the service group has returned).
    public func shutdown() async throws {
        try await client?.shutdown()
    }

    /// The current heartbeat.
    static func heartbeat(
        pipeline: Pipeline, journal: Journal, control: RuntimeControl, thermal: ThermalGovernor,
        started: ContinuousClock.Instant, slotState: Heartbeat.SlotState, freeDiskBytes: Int64
    ) -> Heartbeat {
        let snapshot = pipeline.counters.snapshot
        let statistics = try? journal.statistics()
        let uptime = ContinuousClock.now - started
        let lag = statistics?.oldestCapturedAtMs.map { Double(Clocks.wallMilliseconds() - $0) / 1000 } ?? 0
        return Heartbeat(
            modelName: snapshot.modelName, modelVersion: snapshot.modelVersion, slotState: slotState,
            uptimeSeconds: uptime.components.seconds,
            framesPerSecond: uptime.components.seconds > 0
                ? Double(snapshot.inferred) / Double(uptime.components.seconds) : 0,
            droppedFrames: snapshot.dropped, journalDepth: statistics?.rows ?? 0, syncLagSeconds: max(0, lag),
            temperatureCelsius: thermal.lastReading.temperatureCelsius, throttled: control.settings.throttled,
            freeDiskBytes: freeDiskBytes)
    }

    /// How long the capture loop or one inference may stand still before the watchdog stops being petted.
    static let stallLimitNs: Int64 = 60_000_000_000

    /// The model slot's state for heartbeats: on probation while a new model is inside its health window,
    /// rolled back after the last activation failed, committed otherwise.
    static func slotState(slots: ModelSlots, ota: OTAService?) -> Heartbeat.SlotState {
        if let state = try? slots.load(), state.probation { return .probation }
        if case .rolledBack = ota?.status.lastOutcome { return .rolledBack }
        return .committed
    }

    /// Bytes available to the daemon on the file system holding `path` (0 when it cannot be read).
    static func freeDiskBytes(at path: String) -> Int64 {
        let attributes = try? FileManager.default.attributesOfFileSystem(forPath: path)
        return (attributes?[.systemFreeSize] as? NSNumber)?.int64Value ?? 0
    }
}

/// Reloads the configuration's hot settings on `SIGHUP`.
public struct ReloadService: Service {
    let path: String
    let control: RuntimeControl
    let logger: Logger

    /// Creates the service for the file `path`.
    public init(path: String, control: RuntimeControl, logger: Logger) {
        self.path = path
        self.control = control
        self.logger = logger
    }

    /// Waits for `SIGHUP` until graceful shutdown; a file with problems is refused and the old settings kept.
    public func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            do {
                control.reload(try ConfigurationLoader.load(path: path))
                logger.info("Configuration reloaded", metadata: ["config.path": "\(path)"])
            } catch {
                logger.warning("Configuration reload refused", metadata: ["error": "\(error)"])
            }
        }
    }
}
