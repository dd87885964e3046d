import ArgumentParser
import Logging
import PerchAgent
import ServiceLifecycle
import UnixSignals

/// `perchd`: the Perch device daemon (capture → infer → journal → sync).
@main
struct PerchDaemon: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perchd",
        abstract: "Perch device daemon: camera → int8 inference → journal → fleet server.")

    @Option(help: "The configuration file (TOML; see docs/perchd.md).")
    var config: String

    func run() async throws {
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
