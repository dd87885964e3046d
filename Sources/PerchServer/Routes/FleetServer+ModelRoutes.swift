import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PerchWire

extension FleetServer {
    /// Model upload, registry, manifests, offline signatures and blob downloads.
    func addModelRoutes(to router: Router<PerchRequestContext>) {
        router.get("/api/v1/models") { request, _ -> Response in
            try authenticator.requireAdmin(request)
            return try JSONResponse.make(ModelListResponse(models: try await registry.list()))
        }
        router.put("/api/v1/models/{name}/{version}") { request, context -> Response in
            try authenticator.requireAdmin(request)
            let name = try context.parameters.value("name", as: String.self)
            let version = try context.parameters.value("version", as: String.self)
            try ModelRegistry.validateName(name)
            try ModelRegistry.validateVersion(version)
            let labels =
                request.uri.queryParameters.get("labels").map {
                    $0.split(separator: ",", omittingEmptySubsequences: false).map {
                        $0.trimmingCharacters(in: .whitespaces)
                    }
                } ?? []
            let normalization = Normalization(
                mean: try request.query("mean", as: Double.self) ?? 0,
                std: try request.query("std", as: Double.self) ?? 1)
            let preprocessing = Preprocessing(
                decode: request.uri.queryParameters.get("decode"), crop: request.uri.queryParameters.get("crop"),
                resize: request.uri.queryParameters.get("resize"),
                quantizationTable: request.uri.queryParameters.get("quantization_table"))
            let body = try await RequestBody.collect(request, limit: configuration.limits.maxModelBytes)
            let signed = try await registry.register(
                name: name, version: version, bytes: Array(buffer: body), labels: labels, normalization: normalization,
                preprocessing: preprocessing.isEmpty ? nil : preprocessing)
            return try JSONResponse.make(signed, status: .created)
        }
        router.get("/api/v1/models/{name}/{version}/manifest") { request, context -> Response in
            _ = try await authenticator.requireDeviceOrAdmin(request)
            let (name, version) = try Self.modelPath(context)
            guard let signed = try await registry.signedManifest(name: name, version: version) else {
                throw APIError.notFound("unknown model \(name) \(version)")
            }
            return try JSONResponse.make(signed)
        }
        router.put("/api/v1/models/{name}/{version}/signature") { request, context -> Response in
            try authenticator.requireAdmin(request)
            let (name, version) = try Self.modelPath(context)
            let signed = try await RequestBody.decode(
                SignedManifest.self, from: request, limit: configuration.limits.maxJSONBodyBytes * 16)
            return try JSONResponse.make(
                try await registry.attachSignature(name: name, version: version, signed: signed))
        }
        router.get("/api/v1/models/{name}/{version}/blob") { request, context -> Response in
            _ = try await authenticator.requireDeviceOrAdmin(request)
            let (name, version) = try Self.modelPath(context)
            guard let blob = try await registry.blob(name: name, version: version) else {
                throw APIError.notFound("unknown model \(name) \(version)")
            }
            return try BlobResponse.make(for: request, url: blob.url, size: blob.size, etag: "\"\(blob.sha256)\"")
        }
    }

    /// The validated `{name}` and `{version}` path parameters.
    static func modelPath(_ context: PerchRequestContext) throws -> (String, String) {
        let name = try context.parameters.value("name", as: String.self)
        let version = try context.parameters.value("version", as: String.self)
        try ModelRegistry.validateName(name)
        try ModelRegistry.validateVersion(version)
        return (name, version)
    }
}
