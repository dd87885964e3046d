import ArgumentParser
import Foundation
import NIOHTTP1
import PerchWire

/// `perch rollout create|status|promote|pause|resume|abort`: staged rollouts of signed models.
struct RolloutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollout",
        abstract: "Create and steer staged model rollouts (admin API).",
        subcommands: [
            RolloutCreate.self, RolloutStatus.self, RolloutAction.Promote.self, RolloutAction.Pause.self,
            RolloutAction.Resume.self, RolloutAction.Abort.self,
        ])

    /// The human description of one rollout: a summary line and its stage table.
    static func describe(_ rollout: Rollout) -> String {
        let target = "\(rollout.percentage)% of \(rollout.group.map { "group \($0)" } ?? "the fleet")"
        var lines = [
            "rollout \(rollout.id): \(rollout.modelName) \(rollout.modelVersion) to \(target), \(rollout.state.rawValue)"
                + (rollout.state == .active || rollout.state == .paused || rollout.state == .halted
                    ? " at stage \(rollout.currentStage + 1) of \(rollout.stages.count)" : "")
        ]
        if let reason = rollout.haltReason { lines.append("halted: \(reason)") }
        lines.append(
            "failure threshold \(FleetFormat.decimal(rollout.failureThreshold * 100, 0))% after "
                + "\(rollout.minReports) report\(rollout.minReports == 1 ? "" : "s"), created "
                + FleetFormat.time(rollout.createdAtMs) + " UTC")
        var table = TextTable(
            ["STAGE", "SIZE", "REPORTING", "FAILED", ""], alignments: [.right, .right, .right, .right])
        for (index, size) in rollout.stages.enumerated() {
            let stats = rollout.stageStats.first { $0.stage == index }
            table.append([
                String(index + 1), "\(size)%", stats.map { String($0.reportingDevices) } ?? "0",
                stats.map { String($0.failedDevices) } ?? "0", index == rollout.currentStage ? "<- current" : "",
            ])
        }
        lines.append(table.render())
        return lines.joined(separator: "\n")
    }

    /// The path of one rollout.
    static func path(_ id: Int64) -> String { "/api/v1/rollouts/\(id)" }
}

/// `perch rollout create NAME VERSION [--group G] [--percentage P] [--stages 10,50,100] …`.
struct RolloutCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Roll a signed model version out in stages.")

    @OptionGroup var fleet: FleetOptions
    @Argument(help: "Model name.") var name: String
    @Argument(help: "Model version (registered and signed).") var version: String
    @Option(help: "Only this device group (default: the whole fleet).") var group: String?
    @Option(help: "Share of the targeted devices at the last stage, 1…100.") var percentage: Int = 100
    @Option(help: "Cumulative stage sizes in percent, comma-separated, ending at 100 (server default 10,50,100).")
    var stages: String?
    @Option(help: "Halt a stage when this share (0…1) of its reporting devices failed (server default 0.2).")
    var failureThreshold: Double?
    @Option(help: "Reports a stage needs before it is judged (server default 1).") var minReports: Int?
    @Flag(help: "Print the server's JSON (Rollout).") var json = false

    func validate() throws {
        guard (1...100).contains(percentage) else { throw ValidationError("--percentage must be 1…100") }
        _ = try stageList()
    }

    /// The `--stages` list.
    func stageList() throws -> [Int]? {
        guard let stages else { return nil }
        let values = stages.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil }) else {
            throw ValidationError("--stages must be comma-separated integers, e.g. 10,50,100")
        }
        return values.compactMap { $0 }
    }

    func run() async throws {
        print(try await output(using: try fleet.client()))
    }

    /// The text this command prints.
    ///
    /// - Throws: ``FleetError``.
    func output(using client: AdminClient) async throws -> String {
        let request = RolloutCreateRequest(
            modelName: name, modelVersion: version, group: group, percentage: percentage, stages: try stageList(),
            failureThreshold: failureThreshold, minReports: minReports)
        let (rollout, reply) = try await client.call(.POST, "/api/v1/rollouts", json: request, as: Rollout.self)
        return json ? reply.text : "created " + RolloutCommand.describe(rollout)
    }
}

/// `perch rollout status [ID]`: one rollout with its stages, or every rollout.
struct RolloutStatus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show one rollout and its stage statistics, or list all rollouts.")

    @OptionGroup var fleet: FleetOptions
    @Argument(help: "The rollout id (default: list every rollout).") var id: Int64?
    @Flag(help: "Print the server's JSON (Rollout or RolloutListResponse).") var json = false

    func run() async throws {
        print(try await output(using: try fleet.client()))
    }

    /// The text this command prints.
    ///
    /// - Throws: ``FleetError``.
    func output(using client: AdminClient) async throws -> String {
        if let id {
            let (rollout, reply) = try await client.call(.GET, RolloutCommand.path(id), as: Rollout.self)
            return json ? reply.text : RolloutCommand.describe(rollout)
        }
        let (list, reply) = try await client.call(.GET, "/api/v1/rollouts", as: RolloutListResponse.self)
        if json { return reply.text }
        guard !list.rollouts.isEmpty else { return "no rollouts" }
        var table = TextTable(
            ["ID", "MODEL", "TARGET", "STATE", "STAGE", "REPORTING", "FAILED", "CREATED (UTC)"],
            alignments: [.right, .left, .left, .left, .left, .right, .right, .left])
        for rollout in list.rollouts {
            let stats = rollout.stageStats.first { $0.stage == rollout.currentStage }
            table.append([
                String(rollout.id), "\(rollout.modelName) \(rollout.modelVersion)",
                "\(rollout.percentage)% \(rollout.group ?? "fleet")", rollout.state.rawValue,
                "\(rollout.currentStage + 1)/\(rollout.stages.count) (\(rollout.stages[safe: rollout.currentStage] ?? 0)%)",
                String(stats?.reportingDevices ?? 0), String(stats?.failedDevices ?? 0),
                FleetFormat.time(rollout.createdAtMs),
            ])
        }
        return table.render()
    }
}

/// The admin transitions of a rollout, one subcommand each.
enum RolloutAction {
    /// Posts `/api/v1/rollouts/{id}/{action}` and describes the rollout after it.
    static func output(_ action: String, id: Int64, json: Bool, using client: AdminClient) async throws -> String {
        let (rollout, reply) = try await client.call(.POST, RolloutCommand.path(id) + "/" + action, as: Rollout.self)
        return json ? reply.text : RolloutCommand.describe(rollout)
    }

    /// `perch rollout promote ID`.
    struct Promote: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "promote", abstract: "Advance to the next stage; after the last one the rollout completes.")
        @OptionGroup var fleet: FleetOptions
        @Argument(help: "The rollout id.") var id: Int64
        @Flag(help: "Print the server's JSON (Rollout).") var json = false

        func run() async throws { print(try await output(using: try fleet.client())) }
        /// The text this command prints.
        func output(using client: AdminClient) async throws -> String {
            try await RolloutAction.output("promote", id: id, json: json, using: client)
        }
    }

    /// `perch rollout pause ID`.
    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pause", abstract: "Pause: no new device receives the model.")
        @OptionGroup var fleet: FleetOptions
        @Argument(help: "The rollout id.") var id: Int64
        @Flag(help: "Print the server's JSON (Rollout).") var json = false

        func run() async throws { print(try await output(using: try fleet.client())) }
        /// The text this command prints.
        func output(using client: AdminClient) async throws -> String {
            try await RolloutAction.output("pause", id: id, json: json, using: client)
        }
    }

    /// `perch rollout resume ID`.
    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "resume", abstract: "Resume a paused or halted rollout.")
        @OptionGroup var fleet: FleetOptions
        @Argument(help: "The rollout id.") var id: Int64
        @Flag(help: "Print the server's JSON (Rollout).") var json = false

        func run() async throws { print(try await output(using: try fleet.client())) }
        /// The text this command prints.
        func output(using client: AdminClient) async throws -> String {
            try await RolloutAction.output("resume", id: id, json: json, using: client)
        }
    }

    /// `perch rollout abort ID`.
    struct Abort: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "abort", abstract: "Abort: devices fall back to their previous assignment.")
        @OptionGroup var fleet: FleetOptions
        @Argument(help: "The rollout id.") var id: Int64
        @Flag(help: "Print the server's JSON (Rollout).") var json = false

        func run() async throws { print(try await output(using: try fleet.client())) }
        /// The text this command prints.
        func output(using client: AdminClient) async throws -> String {
            try await RolloutAction.output("abort", id: id, json: json, using: client)
        }
    }
}

extension Array {
    /// The element at `index`, or `nil` when out of range.
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
