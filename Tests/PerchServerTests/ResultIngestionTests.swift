import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PerchServer
import PerchWire
import Testing

@Suite struct ResultIngestionTests {
    @Test func aRetriedBatchIsStoredOnceAndTheReplyStatesTheHighestSeq() async throws {
        let fleet = try TestFleet()
        try await fleet.test { client in
            let device = try await Wire.enroll(client)
            let batch = (1...50).map { Wire.record(Int64($0)) }
            let first = try Wire.decode(
                ResultBatchResponse.self, try await Wire.upload(client, token: device.token, batch))
            #expect(first == ResultBatchResponse(accepted: 50, duplicates: 0, highestSeq: 50))
            let retry = try Wire.decode(
                ResultBatchResponse.self, try await Wire.upload(client, token: device.token, batch))
            #expect(retry == ResultBatchResponse(accepted: 0, duplicates: 50, highestSeq: 50))
            let overlap = (40...60).map { Wire.record(Int64($0)) }
            let third = try Wire.decode(
                ResultBatchResponse.self, try await Wire.upload(client, token: device.token, overlap))
            #expect(third == ResultBatchResponse(accepted: 10, duplicates: 11, highestSeq: 60))
            #expect(try await fleet.server.results.totalCount() == 60)
        }
    }

    @Test func sequencesAreScopedPerDevice() async throws {
        let fleet = try TestFleet()
        try await fleet.test { client in
            let a = try await Wire.enroll(client)
            let b = try await Wire.enroll(client)
            _ = try await Wire.upload(client, token: a.token, [Wire.record(1), Wire.record(2)])
            let reply = try Wire.decode(
                ResultBatchResponse.self, try await Wire.upload(client, token: b.token, [Wire.record(1)]))
            #expect(reply == ResultBatchResponse(accepted: 1, duplicates: 0, highestSeq: 1))
        }
    }

    @Test func oversizedBodiesAndBatchesAre413AndStoreNothing() async throws {
        var limits = ServerLimits()
        limits.maxResultBodyBytes = 4096
        limits.maxResultsPerBatch = 10
        limits.maxSnapshotBytes = 100
        let fleet = try TestFleet(limits: limits)
        try await fleet.test { client in
            let device = try await Wire.enroll(client)
            let tooManyBytes = try await Wire.upload(
                client, token: device.token, (1...40).map { Wire.record(Int64($0)) })
            #expect(tooManyBytes.status == .contentTooLarge)
            #expect(try Wire.errorCode(tooManyBytes) == "payload_too_large")
            let tooMany = try await Wire.upload(client, token: device.token, (1...11).map { Wire.record(Int64($0)) })
            #expect(tooMany.status == .contentTooLarge)
            let bigJPEG = Data([0xFF, 0xD8, 0xFF] + [UInt8](repeating: 1, count: 200))
            let bigSnapshot = try await Wire.upload(
                client, token: device.token, [Wire.record(1), Wire.record(2, kind: .event, snapshot: bigJPEG)])
            #expect(bigSnapshot.status == .contentTooLarge)
            #expect(try await fleet.server.results.totalCount() == 0)
        }
    }

    @Test func anInvalidRecordRejectsTheWholeBatch() async throws {
        let fleet = try TestFleet()
        try await fleet.test { client in
            let device = try await Wire.enroll(client)
            let notJPEG = try await Wire.upload(
                client, token: device.token,
                [Wire.record(1), Wire.record(2, kind: .event, snapshot: Data("GIF89a".utf8))])
            #expect(notJPEG.status == .badRequest)
            #expect(try Wire.decode(ErrorResponse.self, notJPEG).error.message.contains("results[1]"))
            let negative = try await Wire.upload(client, token: device.token, [Wire.record(3), Wire.record(-1)])
            #expect(negative.status == .badRequest)
            let emptyLabel = try await Wire.upload(client, token: device.token, [Wire.record(4, label: "")])
            #expect(emptyLabel.status == .badRequest)
            let wrongType = try await client.execute(
                uri: "/api/v1/device/results", method: .post, headers: Wire.bearer(device.token),
                body: .init(string: #"{"results": [{"seq": "one"}]}"#))
            #expect(wrongType.status == .badRequest)
            #expect(try Wire.errorCode(wrongType) == "malformed_body")
            #expect(try await fleet.server.results.totalCount() == 0)
        }
    }

    @Test func queriesFilterByDeviceLabelAndTimeAndCountPerHour() async throws {
        let fleet = try TestFleet()
        let hour: Int64 = 3_600_000
        let base: Int64 = 1_700_000_000_000 / hour * hour
        try await fleet.test { client in
            let a = try await Wire.enroll(client)
            let b = try await Wire.enroll(client)
            let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 0xFF, 0xD9])
            _ = try await Wire.upload(
                client, token: a.token,
                [
                    Wire.record(1, label: "cat", at: base + 10), Wire.record(2, label: "cat", at: base + 20),
                    Wire.record(3, label: "dog", at: base + hour + 5),
                    Wire.record(4, label: "cat", at: base + hour + 6, kind: .event, snapshot: jpeg),
                ])
            _ = try await Wire.upload(client, token: b.token, [Wire.record(1, label: "cat", at: base + 30)])

            let byDevice = try Wire.decode(
                ResultQueryResponse.self,
                try await client.execute(uri: "/api/v1/results?device=\(a.deviceId)", method: .get, headers: Wire.admin)
            )
            #expect(byDevice.results.map(\.record.seq) == [4, 3, 2, 1])
            #expect(byDevice.results.first?.hasSnapshot == true)
            #expect(byDevice.results.first?.record.snapshot == nil)

            let cats = try Wire.decode(
                ResultQueryResponse.self,
                try await client.execute(
                    uri: "/api/v1/results?label=cat&fromMs=\(base)&toMs=\(base + hour)", method: .get,
                    headers: Wire.admin))
            #expect(cats.results.count == 3)
            #expect(Set(cats.results.map(\.deviceId)) == [a.deviceId, b.deviceId])

            let hourly = try Wire.decode(
                HourlyCountsResponse.self,
                try await client.execute(uri: "/api/v1/results/hourly", method: .get, headers: Wire.admin))
            #expect(
                hourly.counts == [
                    HourlyCount(hourStartMs: base, label: "cat", count: 3),
                    HourlyCount(hourStartMs: base + hour, label: "cat", count: 1),
                    HourlyCount(hourStartMs: base + hour, label: "dog", count: 1),
                ])

            let snapshot = try await client.execute(
                uri: "/api/v1/results/\(a.deviceId)/4/snapshot", method: .get, headers: Wire.admin)
            #expect(snapshot.status == .ok)
            #expect(snapshot.headers[.contentType] == "image/jpeg")
            #expect(Data(snapshot.body.readableBytesView) == jpeg)
            let noSnapshot = try await client.execute(
                uri: "/api/v1/results/\(a.deviceId)/3/snapshot", method: .get, headers: Wire.admin)
            #expect(noSnapshot.status == .notFound)

            let badLimit = try await client.execute(uri: "/api/v1/results?limit=0", method: .get, headers: Wire.admin)
            #expect(badLimit.status == .badRequest)
            let badTime = try await client.execute(
                uri: "/api/v1/results?fromMs=soon", method: .get, headers: Wire.admin)
            #expect(badTime.status == .badRequest)
        }
    }

    @Test func acknowledgedResultsSurviveARestart() async throws {
        let first = try TestFleet()
        let device = try await first.test { client in
            let device = try await Wire.enroll(client)
            let reply = try Wire.decode(
                ResultBatchResponse.self,
                try await Wire.upload(client, token: device.token, (1...100).map { Wire.record(Int64($0)) }))
            #expect(reply.highestSeq == 100)
            return device
        }
        // A new server process on the same data directory: same token, same data.
        let second = try TestFleet(directory: first.directory)
        try await second.test { client in
            let reply = try Wire.decode(
                ResultBatchResponse.self, try await Wire.upload(client, token: device.token, [Wire.record(100)]))
            #expect(reply == ResultBatchResponse(accepted: 0, duplicates: 1, highestSeq: 100))
        }
        #expect(try await second.server.results.totalCount() == 100)
    }
}
