import AsyncHTTPClient
import Foundation
import NIOCore
import PerchServer
import PerchWire
import Testing

@testable import perch_loadtest

/// The load generator's pieces, and a functional smoke run with a handful of devices (never timed).
@Suite struct LoadGeneratorTests {
    @Test func handWrittenBatchBodiesAreValidResultBatches() throws {
        let body = LoadGenerator.batchBody(firstSeq: 41, count: 5, nowMs: 1_700_000_000_000)
        let batch = try JSONDecoder().decode(ResultBatch.self, from: Data(body.readableBytesView))
        #expect(batch.results.map(\.seq) == [41, 42, 43, 44, 45])
        #expect(batch.results.map(\.label) == ["dog", "person", "empty", "cat", "dog"])
        let last = try #require(batch.results.last)
        #expect(last.capturedAtMs == 1_699_999_999_750)
        #expect(batch.results.allSatisfy { $0.kind == .result && $0.modelName == "person_detect" })
        #expect(batch.results.first?.score == 0.81)
    }

    @Test func percentilesAreNearestRank() {
        let summary = LatencySummary((1...100).map(Double.init).shuffled())
        #expect(summary == LatencySummary(p50: 50, p99: 99, max: 100))
        #expect(LatencySummary([7]) == LatencySummary(p50: 7, p99: 7, max: 7))
        #expect(LatencySummary([]) == LatencySummary(p50: 0, p99: 0, max: 0))
    }

    @Test func residentMemoryOfThisProcessIsReadFromProc() throws {
        let memory = try #require(ProcessMemory.residentBytes(pid: getpid()))
        #expect(memory.peak >= memory.current && memory.current > 1 << 20)
        #expect(ProcessMemory.residentBytes(pid: -1) == nil)
    }

    @Test func aSmallRunEnrollsDevicesAndEveryAcknowledgedResultIsStored() async throws {
        let fleet = try CLITestServer()
        try await fleet.serving {
            var configuration = LoadTestConfiguration(
                server: fleet.url, enrollmentSecret: CLITestServer.enrollmentSecret)
            configuration.devices = 4
            configuration.batchSize = 20
            // Bounded by batch count, not time: 3 batches per device, measured from the start.
            configuration.maxBatchesPerDevice = 3
            configuration.duration = 600
            configuration.warmup = 0
            let http = LoadGenerator.makeClient(devices: 4)
            let generator = LoadGenerator(configuration: configuration, http: http)
            let devices = try await generator.enrollDevices()
            let report = await generator.run(devices: devices)
            try await http.shutdown()

            #expect(Set(devices.map(\.deviceId)).count == 4)
            #expect(report.requests == 12 && report.failedRequests == 0 && report.duplicateResults == 0)
            #expect(report.acceptedResults == 12 * 20)
            #expect(report.latency.p50 > 0 && report.latency.p50 <= report.latency.p99)
            let stored = try await fleet.server.results.totalCount()
            #expect(stored == report.acceptedResults)
            let listed = try await fleet.server.devices.list().filter { $0.group == "loadtest" }
            #expect(listed.count == 4)
            #expect(listed.reduce(0) { $0 + Int($1.highestSeq ?? 0) } == stored, "seqs are contiguous from 1")
            #expect(report.text().contains("accepted results   \(report.acceptedResults) (0 duplicates)"))
        }
    }

    @Test func aWrongEnrollmentSecretStopsTheRunWithAClearError() async throws {
        let fleet = try CLITestServer()
        try await fleet.serving {
            var configuration = LoadTestConfiguration(server: fleet.url, enrollmentSecret: "wrong")
            configuration.devices = 2
            let http = LoadGenerator.makeClient(devices: 2)
            let generator = LoadGenerator(configuration: configuration, http: http)
            let error = await #expect(throws: LoadGenerator.SetupError.self) { _ = try await generator.enrollDevices() }
            try await http.shutdown()
            #expect(error?.description.hasPrefix("enrollment answered 401") == true)
        }
    }
}
