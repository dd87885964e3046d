import ArgumentParser
import Foundation
import NIOHTTP1
import PerchWire

/// `perch devices`: list the fleet's devices; `perch devices revoke ID`: revoke one device's token.
struct Devices: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List devices (admin API); revoke a device's token.",
        subcommands: [DevicesList.self, DevicesRevoke.self],
        defaultSubcommand: DevicesList.self)
}

/// `perch devices [list] [--json]`.
struct DevicesList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List enrolled devices with their last heartbeat.")

    @OptionGroup var fleet: FleetOptions
    @Flag(help: "Print the server's JSON (DeviceListResponse).") var json = false

    func run() async throws {
        print(try await output(using: try fleet.client()))
    }

    /// The text this command prints.
    ///
    /// - Throws: ``FleetError``.
    func output(using client: AdminClient) async throws -> String {
        let (list, reply) = try await client.call(.GET, "/api/v1/devices", as: DeviceListResponse.self)
        if json { return reply.text }
        return Self.table(list.devices)
    }

    /// The human table of `devices`.
    static func table(_ devices: [DeviceSummary]) -> String {
        guard !devices.isEmpty else { return "no devices enrolled" }
        var table = TextTable(
            [
                "DEVICE", "HARDWARE", "BOARD", "GROUP", "LAST SEEN (UTC)", "MODEL", "SLOT", "FPS", "LAG s", "SEQ",
                "STATE",
            ],
            alignments: [.left, .left, .left, .left, .left, .left, .left, .right, .right, .right, .left])
        for device in devices {
            let heartbeat = device.lastHeartbeat
            let model = heartbeat.flatMap { beat in beat.modelName.map { "\($0) \(beat.modelVersion ?? "?")" } }
            var state = device.revoked ? "revoked" : "ok"
            if heartbeat?.throttled == true, !device.revoked { state = "throttled" }
            table.append([
                device.deviceId, device.hardwareId, device.board, device.group, FleetFormat.time(device.lastSeenAtMs),
                model ?? "-", heartbeat?.slotState.rawValue ?? "-",
                heartbeat.map { FleetFormat.decimal($0.framesPerSecond, 1) } ?? "-",
                heartbeat.map { FleetFormat.decimal($0.syncLagSeconds, 0) } ?? "-",
                device.highestSeq.map(String.init) ?? "-", state,
            ])
        }
        return table.render()
    }
}

/// `perch devices revoke ID`.
struct DevicesRevoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke", abstract: "Revoke a device's token: its requests get 403 from now on.")

    @OptionGroup var fleet: FleetOptions
    @Argument(help: "The device id.") var deviceId: String
    @Flag(help: "Print the server's JSON (DeviceSummary).") var json = false

    func run() async throws {
        print(try await output(using: try fleet.client()))
    }

    /// The text this command prints.
    ///
    /// - Throws: ``FleetError``.
    func output(using client: AdminClient) async throws -> String {
        let path = "/api/v1/devices/\(AdminClient.segment(deviceId))/revoke"
        let (device, reply) = try await client.call(.POST, path, as: DeviceSummary.self)
        if json { return reply.text }
        return "revoked \(device.deviceId) (hardware \(device.hardwareId), group \(device.group))"
    }
}
