/// The JSON body of every 4xx and 5xx response of the Perch API.
///
/// The shape is `{"error": {"code": "…", "message": "…"}}`: `code` is a stable machine-readable
/// identifier (for example `invalid_token`, `payload_too_large`), `message` is for humans.
public struct ErrorResponse: Codable, Sendable, Equatable {
    /// The error details.
    public var error: Detail

    /// Creates an error body.
    ///
    /// - Parameters:
    ///   - code: A stable snake_case identifier of the error.
    ///   - message: A human-readable description.
    public init(code: String, message: String) {
        self.error = Detail(code: code, message: message)
    }

    /// The code and message of an error.
    public struct Detail: Codable, Sendable, Equatable {
        /// A stable snake_case identifier of the error.
        public var code: String
        /// A human-readable description.
        public var message: String

        /// Creates an error detail.
        public init(code: String, message: String) {
            self.code = code
            self.message = message
        }
    }
}
