import ArgumentParser
import Foundation
import NIOHTTP1
import PerchWire

/// `perch results`: query stored results (newest first) or counts per label per hour.
struct Results: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Query results the fleet uploaded (admin API), newest first.",
        discussion: """
            --since and --until take `now`, a duration before now (90s, 15m, 2h, 7d), an ISO 8601 time \
            (2026-11-29T03:00:00Z, or a date alone for UTC midnight) or epoch milliseconds. --until is exclusive.
            """)

    @OptionGroup var fleet: FleetOptions
    @Option(help: "Only this device.") var device: String?
    @Option(help: "Only this label.") var label: String?
    @Option(help: "Only this kind (result or event).") var kind: ResultRecord.Kind?
    @Option(help: "Captured at or after this time.") var since: String?
    @Option(help: "Captured before this time.") var until: String?
    @Option(help: "At most this many results (1…1000).") var limit: Int = 100
    @Flag(help: "Counts per label per UTC hour instead of results.") var hourly = false
    @Flag(help: "Print the server's JSON (ResultQueryResponse or HourlyCountsResponse).") var json = false

    func validate() throws {
        guard (1...1000).contains(limit) else { throw ValidationError("--limit must be 1…1000") }
        for (name, value) in [("--since", since), ("--until", until)] {
            if let value, TimeArgument.epochMilliseconds(value) == nil {
                throw ValidationError("\(name) \(value): expected now, 15m/2h/7d, an ISO 8601 time or epoch ms")
            }
        }
        if hourly, kind != nil { throw ValidationError("--hourly counts every kind; drop --kind") }
    }

    func run() async throws {
        print(try await output(using: try fleet.client()))
    }

    /// The text this command prints.
    ///
    /// - Parameter now: The time durations count back from.
    /// - Throws: ``FleetError``.
    func output(using client: AdminClient, now: Date = Date()) async throws -> String {
        var query: [(String, String?)] = [
            ("device", device),
            ("fromMs", since.flatMap { TimeArgument.epochMilliseconds($0, now: now) }.map(String.init)),
            ("toMs", until.flatMap { TimeArgument.epochMilliseconds($0, now: now) }.map(String.init)),
        ]
        if hourly {
            let (counts, reply) = try await client.call(
                .GET, "/api/v1/results/hourly", query: query, as: HourlyCountsResponse.self)
            if json { return reply.text }
            let filtered = counts.counts.filter { label == nil || $0.label == label }
            return Self.hourlyTable(filtered)
        }
        query += [("label", label), ("kind", kind?.rawValue), ("limit", String(limit))]
        let (results, reply) = try await client.call(
            .GET, "/api/v1/results", query: query, as: ResultQueryResponse.self)
        if json { return reply.text }
        return Self.table(results.results)
    }

    /// The human table of `results`.
    static func table(_ results: [StoredResult]) -> String {
        guard !results.isEmpty else { return "no results" }
        var table = TextTable(
            ["CAPTURED (UTC)", "DEVICE", "SEQ", "KIND", "LABEL", "SCORE", "MODEL", "LATENCY ms", "FLAGS"],
            alignments: [.left, .left, .right, .left, .left, .right, .left, .right, .left])
        for result in results {
            let record = result.record
            var flags: [String] = []
            if record.throttled { flags.append("throttled") }
            if result.hasSnapshot { flags.append("snapshot") }
            table.append([
                FleetFormat.time(record.capturedAtMs), result.deviceId, String(record.seq), record.kind.rawValue,
                record.label, FleetFormat.decimal(record.score, 3), "\(record.modelName) \(record.modelVersion)",
                FleetFormat.decimal(record.latencyMs, 1), flags.isEmpty ? "-" : flags.joined(separator: ","),
            ])
        }
        return table.render()
    }

    /// The human table of hourly counts.
    static func hourlyTable(_ counts: [HourlyCount]) -> String {
        guard !counts.isEmpty else { return "no results" }
        var table = TextTable(["HOUR (UTC)", "LABEL", "COUNT"], alignments: [.left, .left, .right])
        for count in counts {
            table.append([FleetFormat.time(count.hourStartMs), count.label, String(count.count)])
        }
        return table.render()
    }
}

extension ResultRecord.Kind: ExpressibleByArgument {}
