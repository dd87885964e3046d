import Foundation
import Logging
import PerchAgent
import PerchServer
import ServiceLifecycle
import UnixSignals

/// Runs the whole demo in one process: server, daemon and narrator as one service group.
enum DemoRun {
    /// Starts everything, runs the script, and shuts down cleanly (at the end of a non-interactive run, or on
    /// SIGINT / SIGTERM).
    ///
    /// - Returns: What the run showed; `nil` when it was interrupted before the update was seen.
    /// - Throws: ``CLIError`` for a busy port or a step that timed out; server, daemon or HTTP errors as they are.
    static func run(_ setup: DemoSetup, say: @escaping @Sendable (String) -> Void) async throws -> DemoSummary? {
        guard LoopbackPort.isFree(setup.port) else {
            throw CLIError.badInput("port \(setup.port) on 127.0.0.1 is in use: pass --port N (0 picks a free one)")
        }
        let logLevel: Logger.Level = setup.verbose ? .info : .warning
        let fleet = try DemoFleet(setup, logLevel: logLevel)
        var logger = Logger(label: "perch.demo")
        logger.logLevel = logLevel

        let narrator = DemoNarrator(setup: setup, fleet: fleet, say: say)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: try fleet.server.makeApplication(logger: logger))
        ]
        services += fleet.agent.services()
        // The script ending (non-interactive) or failing ends the whole group.
        services.append(
            .init(
                service: narrator, successTerminationBehavior: .gracefullyShutdownGroup,
                failureTerminationBehavior: .gracefullyShutdownGroup))
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigint, .sigterm], logger: logger))
        do {
            try await group.run()
        } catch {
            try? await fleet.agent.shutdown()
            throw error
        }
        try await fleet.agent.shutdown()
        return narrator.summary
    }
}
