import Hummingbird
import PerchWire

extension FleetServer {
    /// Rollout creation, listing and admin transitions.
    func addRolloutRoutes(to router: Router<PerchRequestContext>) {
        router.get("/api/v1/rollouts") { request, _ -> Response in
            try authenticator.requireAdmin(request)
            return try JSONResponse.make(RolloutListResponse(rollouts: try await rollouts.list()))
        }
        router.post("/api/v1/rollouts") { request, _ -> Response in
            try authenticator.requireAdmin(request)
            let create = try await RequestBody.decode(
                RolloutCreateRequest.self, from: request, limit: configuration.limits.maxJSONBodyBytes)
            return try JSONResponse.make(try await rollouts.create(create), status: .created)
        }
        router.get("/api/v1/rollouts/{rolloutId}") { request, context -> Response in
            try authenticator.requireAdmin(request)
            return try JSONResponse.make(
                try await rollouts.rollout(id: try context.parameters.value("rolloutId", as: Int64.self)))
        }
        for action in [RolloutStore.Action.promote, .pause, .resume, .abort] {
            router.post("/api/v1/rollouts/{rolloutId}/\(action.rawValue)") { request, context -> Response in
                try authenticator.requireAdmin(request)
                let id = try context.parameters.value("rolloutId", as: Int64.self)
                return try JSONResponse.make(try await rollouts.apply(action, to: id))
            }
        }
    }
}
