import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PerchServer
import PerchWire
import Testing

@Suite struct MetricsTests {
    @Test func metricsCountRequestsByRouteTemplateIngestionAndDevicesOnline() async throws {
        let fleet = try TestFleet()
        try await fleet.test { client in
            let device = try await Wire.enroll(client)
            _ = try await client.execute(
                uri: "/api/v1/device/heartbeat", method: .post, headers: Wire.bearer(device.token),
                body: try Wire.json(Wire.heartbeat(throttled: true)))
            _ = try await Wire.upload(client, token: device.token, (1...7).map { Wire.record(Int64($0)) })
            _ = try await Wire.upload(client, token: device.token, (5...9).map { Wire.record(Int64($0)) })
            _ = try await client.execute(uri: "/api/v1/devices/\(device.deviceId)", method: .get, headers: Wire.admin)
            _ = try await client.execute(uri: "/api/v1/devices/dev-x", method: .get, headers: Wire.admin)
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            let text = String(buffer: response.body)
            let lines = Set(text.split(separator: "\n").map(String.init))
            #expect(lines.contains("perch_results_ingested_total 9"))
            #expect(lines.contains("perch_results_duplicate_total 3"))
            #expect(lines.contains("perch_devices_online 1.0"))
            #expect(lines.contains("perch_devices_throttled 1.0"))
            #expect(lines.contains("perch_fleet_max_sync_lag_seconds 2.0"))
            #expect(lines.contains("perch_rollouts{state=\"active\"} 0.0"))
            #expect(
                lines.contains(
                    "perch_http_requests_total{route=\"/api/v1/device/results\",method=\"POST\",status=\"200\"} 2"))
            // Route templates, never raw ids: the two device lookups share one series per status.
            #expect(
                lines.contains(
                    "perch_http_requests_total{route=\"/api/v1/devices/{deviceId}\",method=\"GET\",status=\"404\"} 1"))
            #expect(!text.contains("dev-x"))
            #expect(text.contains("perch_http_request_duration_seconds_bucket"))
        }
    }

    @Test func unknownRoutesAreJSON404s() async throws {
        let fleet = try TestFleet()
        try await fleet.test { client in
            let response = try await client.execute(uri: "/api/v1/nothing", method: .get)
            #expect(response.status == .notFound)
            #expect(try Wire.errorCode(response) == "not_found")
        }
    }
}

@Suite struct OpenAPIConformanceTests {
    /// The `(METHOD, path)` pairs of the `paths:` section of the YAML document.
    ///
    /// The document is hand-written with a fixed layout (paths at two spaces, methods at four), which this
    /// minimal reader relies on; a layout change makes the test fail rather than pass silently.
    static func documentedOperations() throws -> Set<String> {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("openapi/perch-api.yaml")
        let text = try String(contentsOf: url, encoding: .utf8)
        var operations: Set<String> = []
        var inPaths = false
        var currentPath: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" {
                inPaths = true
                continue
            }
            guard inPaths else { continue }
            if !line.hasPrefix(" "), !line.isEmpty { break }
            if line.hasPrefix("  /"), !line.hasPrefix("   "), line.hasSuffix(":") {
                currentPath = String(line.dropFirst(2).dropLast())
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), let path = currentPath {
                let key = line.trimmingCharacters(in: .whitespaces).dropLast()
                if ["get", "put", "post", "delete", "patch", "head", "options"].contains(String(key)) {
                    operations.insert("\(key.uppercased()) \(path)")
                }
            }
        }
        return operations
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedOperationIsRouted() throws {
        let documented = try Self.documentedOperations()
        #expect(documented.count > 25)
        let router = try TestFleet().server.makeRouter()
        let routed = Set(router.routes.map { "\($0.method.rawValue) \($0.path)" })
        #expect(routed.subtracting(documented).isEmpty, "routes missing from openapi/perch-api.yaml")
        #expect(documented.subtracting(routed).isEmpty, "documented operations without a route")
    }
}
