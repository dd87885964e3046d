import Foundation
import HTTPTypes
import Hummingbird
import PerchWire

extension FleetServer {
    /// Server-rendered dashboard pages (admin, HTTP Basic with the admin token as password).
    func addDashboardRoutes(to router: Router<PerchRequestContext>) {
        router.get("/") { request, _ -> Response in
            try authenticator.requireAdmin(request, browser: true)
            return Self.html(
                DashboardPages.fleet(
                    devices: try await devices.list(), nowMs: WallClock.nowMs(),
                    onlineWindowMs: configuration.onlineWindowMs))
        }
        router.get("/devices/{deviceId}") { request, context -> Response in
            try authenticator.requireAdmin(request, browser: true)
            let id = try context.parameters.value("deviceId", as: String.self)
            guard let device = try await devices.device(id: id) else { throw APIError.notFound("unknown device") }
            let now = WallClock.nowMs()
            var recent = ResultStore.Query()
            recent.deviceId = id
            recent.limit = 50
            var events = ResultStore.Query()
            events.deviceId = id
            events.kind = .event
            events.fromMs = (now / 3_600_000 - 23) * 3_600_000
            return Self.html(
                DashboardPages.device(
                    device, recent: try await results.query(recent),
                    hourly: try await results.hourlyCounts(events), nowMs: now))
        }
        router.get("/models") { request, _ -> Response in
            try authenticator.requireAdmin(request, browser: true)
            return Self.html(DashboardPages.models(try await registry.list(), keyId: signingKey.keyId))
        }
        router.get("/rollouts") { request, _ -> Response in
            try authenticator.requireAdmin(request, browser: true)
            return Self.html(DashboardPages.rollouts(try await rollouts.list()))
        }
    }

    static func html(_ text: String) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: "text/html; charset=utf-8",
                .contentSecurityPolicy: "default-src 'self'; style-src 'unsafe-inline'",
            ],
            body: .init(byteBuffer: .init(string: text)))
    }
}
