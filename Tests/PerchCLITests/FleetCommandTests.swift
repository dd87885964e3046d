import ArgumentParser
import Foundation
import PerchServer
import PerchWire
import Testing

@testable import perch

/// `perch devices` and `perch results` against a real server on a loopback socket.
@Suite struct FleetCommandTests {
    static func record(_ seq: Int64, label: String, atMs: Int64) -> ResultRecord {
        ResultRecord(
            seq: seq, capturedAtMs: atMs, monotonicNs: seq * 1000, kind: .result, modelName: "cat",
            modelVersion: "1.0.0", label: label, score: 0.75, latencyMs: 11.5)
    }

    static let base: Int64 = 1_700_000_000_000

    @Test func devicesListsRevokesAndPrintsWireJSON() async throws {
        let fleet = try CLITestServer()
        try await fleet.serving {
            let a = try await fleet.enroll(hardwareId: "hw-a", group: "kitchen")
            let b = try await fleet.enroll(hardwareId: "hw-b")
            try await fleet.heartbeat(
                Heartbeat(
                    modelName: "cat", modelVersion: "1.0.0", slotState: .committed, uptimeSeconds: 60,
                    framesPerSecond: 4.5, droppedFrames: 0, journalDepth: 2, syncLagSeconds: 3,
                    temperatureCelsius: 55, throttled: true, freeDiskBytes: 1 << 30),
                token: a.token)
            let arguments = try fleet.fleetArguments()

            let list = try DevicesList.parse(arguments)
            let human = try await list.output(using: try list.fleet.client())
            let lines = human.split(separator: "\n").map(String.init)
            #expect(lines.count == 3)
            let header = try #require(lines.first)
            let hardwareColumn = try #require(header.range(of: "HARDWARE")).lowerBound.utf16Offset(in: header)
            for id in [a.deviceId, b.deviceId] {
                let line = try #require(lines.first { $0.hasPrefix(id) })
                let hardware = try #require(line.range(of: "hw-")).lowerBound.utf16Offset(in: line)
                #expect(hardware == hardwareColumn, "columns are aligned")
            }
            let rowA = try #require(lines.first { $0.hasPrefix(a.deviceId) })
            #expect(rowA.contains("kitchen") && rowA.contains("cat 1.0.0") && rowA.contains("throttled"))

            let revoke = try DevicesRevoke.parse(arguments + [b.deviceId])
            let revoked = try await revoke.output(using: try revoke.fleet.client())
            #expect(revoked == "revoked \(b.deviceId) (hardware hw-b, group default)")
            await #expect(throws: LoopbackPort.Failure.status(403)) {
                try await fleet.upload([Self.record(1, label: "cat", atMs: Self.base)], token: b.token)
            }

            let json = try DevicesList.parse(arguments + ["--json"])
            let wire = try JSONDecoder().decode(
                DeviceListResponse.self, from: Data(try await json.output(using: try json.fleet.client()).utf8))
            #expect(Set(wire.devices.map(\.deviceId)) == [a.deviceId, b.deviceId])
            #expect(wire.devices.first { $0.deviceId == b.deviceId }?.revoked == true)
            #expect(wire.devices.first { $0.deviceId == a.deviceId }?.lastHeartbeat?.throttled == true)
        }
    }

    @Test func resultsFiltersByDeviceLabelAndTimeRange() async throws {
        let fleet = try CLITestServer()
        try await fleet.serving {
            let a = try await fleet.enroll(hardwareId: "hw-a")
            let b = try await fleet.enroll(hardwareId: "hw-b")
            // a: seq 1…10 one minute apart, cat on odd seqs; b: 5 cats.
            let recordsA = (1...10).map {
                Self.record(Int64($0), label: $0 % 2 == 1 ? "cat" : "dog", atMs: Self.base + Int64($0) * 60_000)
            }
            #expect(try await fleet.upload(recordsA, token: a.token).accepted == 10)
            let recordsB = (1...5).map { Self.record(Int64($0), label: "cat", atMs: Self.base + Int64($0) * 60_000) }
            #expect(try await fleet.upload(recordsB, token: b.token).accepted == 5)
            let arguments = try fleet.fleetArguments()

            let cats = try Results.parse(arguments + ["--device", a.deviceId, "--label", "cat", "--json"])
            let catResults = try JSONDecoder().decode(
                ResultQueryResponse.self, from: Data(try await cats.output(using: try cats.fleet.client()).utf8))
            #expect(catResults.results.map(\.record.seq) == [9, 7, 5, 3, 1])
            #expect(catResults.results.allSatisfy { $0.deviceId == a.deviceId && $0.record.label == "cat" })

            // --since is inclusive (epoch ms), --until exclusive (ISO 8601): seqs 3, 4, 5 of device a.
            let until = ISO8601DateFormatter().string(
                from: Date(timeIntervalSince1970: Double(Self.base + 6 * 60_000) / 1000))
            let range = try Results.parse(
                arguments + ["--device", a.deviceId, "--since", String(Self.base + 3 * 60_000), "--until", until])
            let table = try await range.output(using: try range.fleet.client())
            let rows = table.split(separator: "\n").dropFirst()
            #expect(rows.count == 3)
            #expect(rows.allSatisfy { $0.contains(a.deviceId) })
            #expect(table.hasPrefix("CAPTURED (UTC)"))

            let limited = try Results.parse(arguments + ["--limit", "4", "--json"])
            let four = try JSONDecoder().decode(
                ResultQueryResponse.self, from: Data(try await limited.output(using: try limited.fleet.client()).utf8))
            #expect(four.results.count == 4)

            let hourly = try Results.parse(arguments + ["--hourly", "--label", "cat"])
            let counts = try await hourly.output(using: try hourly.fleet.client())
            let total = counts.split(separator: "\n").dropFirst().compactMap {
                Int($0.split(separator: " ").last ?? "")
            }
            #expect(total.reduce(0, +) == 10, "5 cats of a plus 5 of b")

            let none = try Results.parse(arguments + ["--label", "giraffe"])
            #expect(try await none.output(using: try none.fleet.client()) == "no results")
        }
    }

    @Test func badTimeAndLimitArgumentsAreRejectedBeforeAnyRequest() {
        #expect(throws: (any Error).self) { try Results.parse(["--since", "yesterday-ish"]) }
        #expect(throws: (any Error).self) { try Results.parse(["--limit", "0"]) }
        #expect(throws: (any Error).self) { try Results.parse(["--hourly", "--kind", "event"]) }
    }

    @Test func timeArgumentsAcceptDurationsISODatesAndEpochMilliseconds() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let nowMs: Int64 = 1_800_000_000_000
        #expect(TimeArgument.epochMilliseconds("now", now: now) == nowMs)
        #expect(TimeArgument.epochMilliseconds("15m", now: now) == nowMs - 15 * 60_000)
        #expect(TimeArgument.epochMilliseconds("2h", now: now) == nowMs - 7_200_000)
        #expect(TimeArgument.epochMilliseconds("7d", now: now) == nowMs - 7 * 86_400_000)
        #expect(TimeArgument.epochMilliseconds("90s", now: now) == nowMs - 90_000)
        #expect(TimeArgument.epochMilliseconds("1700000000123", now: now) == 1_700_000_000_123)
        #expect(TimeArgument.epochMilliseconds("2023-11-14T22:13:20Z") == 1_700_000_000_000)
        #expect(TimeArgument.epochMilliseconds("2023-11-14T23:13:20+01:00") == 1_700_000_000_000)
        #expect(TimeArgument.epochMilliseconds("2023-11-14T22:13:20.5Z") == 1_700_000_000_500)
        #expect(TimeArgument.epochMilliseconds("2023-11-14") == 1_699_920_000_000)
        #expect(TimeArgument.epochMilliseconds("soon") == nil)
        #expect(TimeArgument.epochMilliseconds("5w") == nil)
    }

    @Test func tablesPadColumnsAndRightAlignNumbers() {
        var table = TextTable(["NAME", "COUNT"], alignments: [.left, .right])
        table.append(["a", "5"])
        table.append(["longer", "12345"])
        #expect(table.render() == "NAME    COUNT\na           5\nlonger  12345")
    }
}
