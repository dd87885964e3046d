import Foundation
import HTTPTypes
import Hummingbird

/// Checks device tokens and the admin token on incoming requests.
///
/// Device tokens have the form `<deviceId>.<secret>`; the device row is found by id and the SHA-256 of
/// the whole token is compared in constant time with the stored hash. Unknown device or wrong token
/// is 401; a revoked device is 403.
struct Authenticator: Sendable {
    /// SHA-256 of the admin token.
    let adminTokenHash: [UInt8]
    /// The device registry.
    let devices: DeviceStore

    /// The bearer credential of the request: `Authorization: Bearer X`, or the password of `Basic`.
    static func credential(of request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        if header.hasPrefix("Bearer ") {
            return String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        }
        if header.hasPrefix("Basic "),
            let data = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let text = String(data: data, encoding: .utf8),
            let colon = text.firstIndex(of: ":")
        {
            return String(text[text.index(after: colon)...])
        }
        return nil
    }

    /// Whether the request carries the admin token.
    func isAdmin(_ request: Request) -> Bool {
        guard let credential = Self.credential(of: request) else { return false }
        return SecretDigest.matches(credential, storedHash: adminTokenHash)
    }

    /// Requires the admin token.
    ///
    /// - Parameter browser: Ask a browser for Basic credentials on failure (dashboard pages).
    /// - Throws: ``APIError`` 401.
    func requireAdmin(_ request: Request, browser: Bool = false) throws {
        guard isAdmin(request) else {
            let headers: HTTPFields = browser ? [.wwwAuthenticate: "Basic realm=\"perch\", charset=\"UTF-8\""] : [:]
            throw APIError(.unauthorized, .unauthenticated, "admin token required", headers: headers)
        }
    }

    /// Requires a valid, unrevoked device token.
    ///
    /// - Returns: The device.
    /// - Throws: ``APIError`` 401 (missing, malformed, unknown or wrong) or 403 (revoked).
    func requireDevice(_ request: Request) async throws -> AuthenticatedDevice {
        guard let token = Self.credential(of: request), let dot = token.firstIndex(of: ".") else {
            throw APIError(.unauthorized, .unauthenticated, "device token required")
        }
        let deviceId = String(token[..<dot])
        guard let record = try await devices.credentials(deviceId: deviceId),
            SecretDigest.matches(token, storedHash: record.tokenHash)
        else {
            throw APIError(.unauthorized, .unauthenticated, "unknown device or wrong token")
        }
        guard !record.revoked else {
            throw APIError(.forbidden, .forbidden, "device token revoked")
        }
        return AuthenticatedDevice(id: deviceId, group: record.group)
    }

    /// Requires either a device token or the admin token.
    ///
    /// - Returns: The device, or `nil` for the admin.
    func requireDeviceOrAdmin(_ request: Request) async throws -> AuthenticatedDevice? {
        if isAdmin(request) { return nil }
        return try await requireDevice(request)
    }
}
