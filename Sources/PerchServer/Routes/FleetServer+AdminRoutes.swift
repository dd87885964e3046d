import Foundation
import Hummingbird
import NIOCore
import PerchWire

extension FleetServer {
    /// Admin queries over devices and results.
    func addAdminRoutes(to router: Router<PerchRequestContext>) {
        router.get("/api/v1/devices") { request, _ -> Response in
            try authenticator.requireAdmin(request)
            return try JSONResponse.make(DeviceListResponse(devices: try await devices.list()))
        }
        router.get("/api/v1/devices/{deviceId}") { request, context -> Response in
            try authenticator.requireAdmin(request)
            let id = try context.parameters.value("deviceId", as: String.self)
            guard let device = try await devices.device(id: id) else { throw APIError.notFound("unknown device") }
            return try JSONResponse.make(device)
        }
        router.post("/api/v1/devices/{deviceId}/revoke") { request, context -> Response in
            try authenticator.requireAdmin(request)
            return try JSONResponse.make(
                try await devices.revoke(deviceId: try context.parameters.value("deviceId", as: String.self)))
        }
        router.get("/api/v1/results") { request, _ -> Response in
            try authenticator.requireAdmin(request)
            var query = try Self.resultQuery(request)
            query.limit = try request.query("limit", as: Int.self) ?? 100
            guard (1...1000).contains(query.limit) else { throw APIError.invalid("limit must be 1…1000") }
            return try JSONResponse.make(ResultQueryResponse(results: try await results.query(query)))
        }
        router.get("/api/v1/results/hourly") { request, _ -> Response in
            try authenticator.requireAdmin(request)
            let query = try Self.resultQuery(request)
            return try JSONResponse.make(HourlyCountsResponse(counts: try await results.hourlyCounts(query)))
        }
        router.get("/api/v1/results/{deviceId}/{seq}/snapshot") { request, context -> Response in
            try authenticator.requireAdmin(request, browser: true)
            let deviceId = try context.parameters.value("deviceId", as: String.self)
            let seq = try context.parameters.value("seq", as: Int64.self)
            guard let jpeg = try await results.snapshot(deviceId: deviceId, seq: seq) else {
                throw APIError.notFound("no snapshot for this result")
            }
            return Response(
                status: .ok, headers: [.contentType: "image/jpeg", .cacheControl: "private, max-age=86400"],
                body: .init(byteBuffer: ByteBuffer(bytes: jpeg)))
        }
    }

    /// The filters shared by the result queries.
    static func resultQuery(_ request: Request) throws -> ResultStore.Query {
        var query = ResultStore.Query()
        query.deviceId = request.uri.queryParameters.get("device")
        query.label = request.uri.queryParameters.get("label")
        if let kind = request.uri.queryParameters.get("kind") {
            guard let parsed = ResultRecord.Kind(rawValue: kind) else {
                throw APIError.invalid("kind must be result or event")
            }
            query.kind = parsed
        }
        query.fromMs = try request.query("fromMs", as: Int64.self)
        query.toMs = try request.query("toMs", as: Int64.self)
        return query
    }
}
