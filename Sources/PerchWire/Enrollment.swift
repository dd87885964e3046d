/// What a device sends once to join the fleet (`POST /api/v1/enroll`).
public struct EnrollRequest: Codable, Sendable, Equatable {
    /// The fleet-wide enrollment secret.
    public var enrollmentSecret: String
    /// A stable hardware identifier (for example the SoC serial number).
    public var hardwareId: String
    /// The board model, for example `rpi-zero-2w`.
    public var board: String
    /// The device group to join; `nil` means the default group.
    public var group: String?

    /// Creates an enrollment request.
    public init(enrollmentSecret: String, hardwareId: String, board: String, group: String? = nil) {
        self.enrollmentSecret = enrollmentSecret
        self.hardwareId = hardwareId
        self.board = board
        self.group = group
    }
}

/// The server's answer to a successful enrollment.
///
/// The token is shown exactly once: the server stores only its SHA-256. Present it as
/// `Authorization: Bearer <token>` on every device request.
public struct EnrollResponse: Codable, Sendable, Equatable {
    /// The device's identifier, assigned by the server.
    public var deviceId: String
    /// The device's bearer token.
    public var token: String

    /// Creates an enrollment response.
    public init(deviceId: String, token: String) {
        self.deviceId = deviceId
        self.token = token
    }
}
