import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PerchWire
import Testing

@testable import PerchServer

@Suite struct HeartbeatTests {
    @Test func theLastHeartbeatShowsInTheDeviceSummary() async throws {
        let fleet = try TestFleet()
        try await fleet.test { client in
            let device = try await Wire.enroll(client, group: "kitchen")
            _ = try await client.execute(
                uri: "/api/v1/device/heartbeat", method: .post, headers: Wire.bearer(device.token),
                body: try Wire.json(Wire.heartbeat()))
            let reply = try await client.execute(
                uri: "/api/v1/device/heartbeat", method: .post, headers: Wire.bearer(device.token),
                body: try Wire.json(Wire.heartbeat(throttled: true)))
            #expect(try Wire.decode(HeartbeatResponse.self, reply).serverTimeMs > 1_700_000_000_000)
            let summary = try Wire.decode(
                DeviceSummary.self,
                try await client.execute(uri: "/api/v1/devices/\(device.deviceId)", method: .get, headers: Wire.admin))
            #expect(summary.group == "kitchen")
            #expect(summary.lastHeartbeat == Wire.heartbeat(throttled: true))
            #expect(summary.lastSeenAtMs != nil)
            let unknown = try await client.execute(uri: "/api/v1/devices/dev-none", method: .get, headers: Wire.admin)
            #expect(unknown.status == .notFound)
            #expect(try Wire.errorCode(unknown) == "not_found")
        }
    }

    @Test func negativeCountersAreRejected() async throws {
        let fleet = try TestFleet()
        try await fleet.test { client in
            let device = try await Wire.enroll(client)
            var beat = Wire.heartbeat()
            beat.journalDepth = -1
            let response = try await client.execute(
                uri: "/api/v1/device/heartbeat", method: .post, headers: Wire.bearer(device.token),
                body: try Wire.json(beat))
            #expect(response.status == .badRequest)
            let summary = try Wire.decode(
                DeviceSummary.self,
                try await client.execute(uri: "/api/v1/devices/\(device.deviceId)", method: .get, headers: Wire.admin))
            #expect(summary.lastHeartbeat == nil)
        }
    }
}

@Suite struct DashboardTests {
    @Test func pagesNeedAdminCredentialsAndAskBrowsersForThem() async throws {
        let fleet = try TestFleet()
        try await fleet.test { client in
            for path in ["/", "/models", "/rollouts"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Basic") == true)
            }
        }
    }

    @Test func fleetAndDevicePagesShowDevicesHealthResultsAndAnSVGChart() async throws {
        let fleet = try TestFleet()
        try await fleet.test { client in
            let device = try await Wire.enroll(client, hardwareId: "<script>alert(1)</script>")
            _ = try await client.execute(
                uri: "/api/v1/device/heartbeat", method: .post, headers: Wire.bearer(device.token),
                body: try Wire.json(Wire.heartbeat(throttled: true)))
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0, 0xFF, 0xD9])
            _ = try await Wire.upload(
                client, token: device.token,
                [
                    Wire.record(1, label: "cat", at: now - 3_600_000, kind: .event),
                    Wire.record(2, label: "<b>dog</b>", at: now, kind: .event, snapshot: jpeg),
                    Wire.record(3, label: "cat", at: now),
                ])

            let overview = String(buffer: try await client.execute(uri: "/", method: .get, headers: Wire.admin).body)
            #expect(overview.contains("<a href=\"/devices/\(device.deviceId)\">\(device.deviceId)</a>"))
            #expect(overview.contains("person_detect 1.0.0"))
            #expect(overview.contains("throttled"))
            #expect(overview.contains("<span id=\"online\">1</span>"))

            let page = try await client.execute(uri: "/devices/\(device.deviceId)", method: .get, headers: Wire.admin)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            let html = String(buffer: page.body)
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!html.contains("<script>"))
            #expect(html.contains("&lt;b&gt;dog&lt;/b&gt;"))
            #expect(html.contains("<svg"))
            // Two event hours with one detection each: two bars (the plain result is not a detection).
            #expect(html.components(separatedBy: "<rect class=\"bar\"").count - 1 == 2)
            #expect(html.contains("src=\"/api/v1/results/\(device.deviceId)/2/snapshot\""))
            #expect(!html.contains("/api/v1/results/\(device.deviceId)/3/snapshot"))
        }
    }

    @Test func hourlyChartScalesBarsToTheBusiestHour() {
        let hour: Int64 = 3_600_000
        let now = 1_700_000_000_000 / hour * hour
        let svg = HourlyChart.svg(
            counts: [
                HourlyCount(hourStartMs: now, label: "cat", count: 10),
                HourlyCount(hourStartMs: now - hour, label: "cat", count: 5),
                HourlyCount(hourStartMs: now - 48 * hour, label: "cat", count: 99),
            ], nowMs: now)
        #expect(svg.contains(">10<"))
        #expect(!svg.contains(">99<"))
        #expect(svg.components(separatedBy: "<rect class=\"bar\"").count - 1 == 2)
    }
}
