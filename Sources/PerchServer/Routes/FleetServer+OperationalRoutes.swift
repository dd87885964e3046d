import Crypto
import Hummingbird
import PerchWire

extension FleetServer {
    /// `/healthz`, `/metrics` and the public fleet key.
    func addOperationalRoutes(to router: Router<PerchRequestContext>) {
        router.get("/healthz") { _, _ in "ok\n" }
        router.get("/metrics") { _, _ -> Response in
            let online = try await devices.onlineCount(windowMs: configuration.onlineWindowMs)
            // Health gauges cover enrolled, unrevoked devices seen within the online window.
            let since = WallClock.nowMs() - configuration.onlineWindowMs
            let all = try await devices.list().filter { !$0.revoked }
            let beats = all.filter { ($0.lastSeenAtMs ?? 0) >= since }.compactMap(\.lastHeartbeat)
            let counts = try await rollouts.countsByState()
            metrics.setFleetState(
                devicesOnline: online, devicesTotal: all.count, devicesThrottled: beats.filter(\.throttled).count,
                maxSyncLagSeconds: beats.map(\.syncLagSeconds).max() ?? 0,
                rollouts: Dictionary(uniqueKeysWithValues: RolloutState.allCases.map { ($0.rawValue, counts[$0] ?? 0) })
            )
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: .init(string: metrics.render())))
        }
        router.get("/api/v1/fleet-key") { _, _ -> Response in
            try JSONResponse.make(
                FleetKeyResponse(publicKey: signingKey.publicKey.rawRepresentation, keyId: signingKey.keyId))
        }
    }
}
