import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PerchServer
import PerchWire
import Testing

@Suite struct LoopbackTests {
    @Test func theServerSpeaksHTTPOverARealLoopbackSocket() async throws {
        let fleet = try TestFleet()
        try await fleet.application().test(.live) { client in
            #expect(client.port != nil)
            let device = try await Wire.enroll(client)
            let batch = (1...200).map { Wire.record(Int64($0)) }
            let first = try Wire.decode(
                ResultBatchResponse.self, try await Wire.upload(client, token: device.token, batch))
            #expect(first == ResultBatchResponse(accepted: 200, duplicates: 0, highestSeq: 200))
            let retry = try Wire.decode(
                ResultBatchResponse.self, try await Wire.upload(client, token: device.token, batch))
            #expect(retry.accepted == 0)
            let malformed = try await client.execute(
                uri: "/api/v1/device/results", method: .post, headers: Wire.bearer(device.token),
                body: .init(string: "[1,2"))
            #expect(malformed.status == .badRequest)
            #expect(try Wire.errorCode(malformed) == "malformed_body")
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains("perch_results_ingested_total 200"))
        }
    }

    @Test func gzipRequestBodiesAreInflatedBeforeDecoding() async throws {
        let fleet = try TestFleet()
        let app = try fleet.server.makeApplication(logger: Logger(label: "perch.server.test"))
        try await app.test(.live) { client in
            let device = try await Wire.enroll(client)
            let json = try JSONEncoder().encode(ResultBatch(results: (1...300).map { Wire.record(Int64($0)) }))
            var headers = Wire.bearer(device.token)
            headers[.contentEncoding] = "gzip"
            headers[.contentType] = "application/json"
            let response = try await client.execute(
                uri: "/api/v1/device/results", method: .post, headers: headers,
                body: ByteBuffer(bytes: Gzip.stored(Array(json))))
            #expect(response.status == .ok)
            #expect(
                try Wire.decode(ResultBatchResponse.self, response)
                    == ResultBatchResponse(
                        accepted: 300, duplicates: 0, highestSeq: 300))
        }
    }
}

/// A minimal gzip writer (RFC 1952) using deflate "stored" blocks: valid gzip without a compressor.
enum Gzip {
    static func stored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]
        var offset = 0
        repeat {
            let count = min(65_535, data.count - offset)
            let final: UInt8 = offset + count == data.count ? 1 : 0
            out.append(final)
            out += [UInt8(count & 0xFF), UInt8(count >> 8), UInt8(~count & 0xFF), UInt8((~count >> 8) & 0xFF)]
            out += data[offset..<offset + count]
            offset += count
        } while offset < data.count
        for value in [crc32(data), UInt32(truncatingIfNeeded: data.count)] {
            out += [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24)]
        }
        return out
    }

    static func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
