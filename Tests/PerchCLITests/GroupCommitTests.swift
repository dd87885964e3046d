import Foundation
import PerchWire
import Testing

@testable import PerchServer

/// The ingestion path the load benchmark drives: concurrent batches share transactions (group commit) and each
/// still gets its own acknowledgement, or its own error.
@Suite struct GroupCommitTests {
    static func batch(_ seqs: ClosedRange<Int64>) -> ResultBatch {
        ResultBatch(
            results: seqs.map {
                ResultRecord(
                    seq: $0, capturedAtMs: 1_700_000_000_000 + $0, modelName: "cat", modelVersion: "1", label: "cat",
                    score: 0.5, latencyMs: 10)
            })
    }

    @Test func concurrentBatchesAreEachAcknowledgedAndABadOneFailsAlone() async throws {
        let fleet = try CLITestServer()
        var devices: [String] = []
        for index in 0..<5 {
            devices.append(
                try await fleet.server.devices.enroll(hardwareId: "hw-\(index)", board: "b", group: "default").deviceId)
        }
        // 5 devices × 10 batches of 20, plus batches for a device that does not exist (a foreign-key error
        // inside the transaction), all at once.
        let outcomes = await withTaskGroup(of: (String, Result<ResultBatchResponse, any Error>).self) { group in
            for device in devices + ["no-such-device"] {
                for chunk in 0..<10 {
                    let first = Int64(chunk * 20 + 1)
                    group.addTask {
                        let outcome = await Result {
                            try await fleet.server.results.ingest(Self.batch(first...first + 19), deviceId: device)
                        }
                        return (device, outcome)
                    }
                }
            }
            var all: [(String, Result<ResultBatchResponse, any Error>)] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        #expect(outcomes.count == 60)
        for (device, outcome) in outcomes {
            switch outcome {
            case .success(let ack):
                #expect(device != "no-such-device")
                #expect(ack.accepted == 20 && ack.duplicates == 0)
            case .failure:
                #expect(device == "no-such-device")
            }
        }
        #expect(try await fleet.server.results.totalCount() == 5 * 200)
        for summary in try await fleet.server.devices.list() {
            #expect(summary.highestSeq == 200)
        }
        // A retry of every batch is all duplicates and stores nothing new.
        let retry = try await fleet.server.results.ingest(Self.batch(1...200), deviceId: devices[0])
        #expect(retry == ResultBatchResponse(accepted: 0, duplicates: 200, highestSeq: 200))

        // Acknowledged means committed: a second server on the same directory sees every result.
        let reopened = try FleetServer(configuration: fleet.server.configuration)
        #expect(try await reopened.results.totalCount() == 1000)
    }
}

extension Result where Failure == any Error {
    /// The outcome of an async throwing call.
    init(_ body: () async throws -> Success) async {
        do {
            self = .success(try await body())
        } catch {
            self = .failure(error)
        }
    }
}
