import ArgumentParser
import Dispatch
import Logging
import PerchAgent
import ServiceLifecycle
import Synchronization
import UnixSignals

/// `perchd`: the Perch device daemon (capture → infer → journal → sync).
@main
struct PerchDaemon: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perchd",
        abstract: "Perch device daemon: camera → int8 inference → journal → fleet server.")

    @Option(help: "The configuration file (TOML; see docs/perchd.md).")
    var config: String

    /// Runs the daemon on Swift's cooperative thread pool while the main thread waits for it.
    ///
    /// Not an async `main`: that parks the main thread in `dispatch_main()`, which ends it with `pthread_exit`, and
    /// the forced unwind of the main stack reads the binary's unwind tables — about 1 MB of resident memory for
    /// nothing on a board (scripts/daemon/rss-bench.sh).
    func run() throws {
        let path = config
        let outcome = Outcome()
        let finished = DispatchSemaphore(value: 0)
        Task {
            do { try await Self.serve(configPath: path) } catch { outcome.error.withLock { $0 = error } }
            finished.signal()
        }
        finished.wait()
        if let error = outcome.error.withLock({ $0 }) { throw error }
    }

    /// The error the daemon's task ended with, handed to the main thread.
    final class Outcome: Sendable {
        let error = Mutex<(any Error)?>(nil)
    }

    /// Loads the configuration, runs the agent's services until SIGTERM or SIGINT, then shuts the agent down.
    static func serve(configPath config: String) async throws {
        let configuration: AgentConfiguration
        do {
            configuration = try ConfigurationLoader.load(path: config)
        } catch {
            print(error.description)
            throw ExitCode(78)  // EX_CONFIG
        }
        var logger = Logger(label: "perch.agent")
        logger.logLevel = Logger.Level(rawValue: configuration.logging.level) ?? .info
        let agent = try Agent(configuration: configuration, logger: logger)
        var services = agent.services()
        services.append(.init(service: ReloadService(path: config, control: agent.control, logger: logger)))
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        logger.info(
            "perchd starting", metadata: ["config.path": "\(config)", "device.board": "\(configuration.device.board)"])
        try await group.run()
        try await agent.shutdown()
        logger.info("perchd stopped")
    }
}
