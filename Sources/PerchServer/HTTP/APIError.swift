import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import PerchWire

/// An error the API reports to the client: a status, a stable code and a message, as JSON.
///
/// Every 4xx/5xx response of the server has the body ``PerchWire/ErrorResponse``. The message never
/// contains internals (SQL, file paths, stack traces).
public struct APIError: HTTPResponseError, CustomStringConvertible {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// A stable snake_case code.
    public var code: Code
    /// A human-readable message.
    public var message: String
    /// Extra response headers (for example `WWW-Authenticate`).
    public var headers: HTTPFields

    /// Creates an error.
    public init(_ status: HTTPResponse.Status, _ code: Code, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    /// A human-readable description.
    public var description: String { "\(status.code) \(code.rawValue): \(message)" }

    /// Builds the JSON error response.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = try JSONEncoder().encode(ErrorResponse(code: code.rawValue, message: message))
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// A stable error code (extensible, like `ServiceGroupError.Code`).
    public struct Code: RawRepresentable, Hashable, Sendable {
        /// The snake_case identifier.
        public var rawValue: String
        /// Creates a code.
        public init(rawValue: String) { self.rawValue = rawValue }

        /// The body is not valid JSON or has wrong types or missing fields.
        public static let malformedBody = Code(rawValue: "malformed_body")
        /// A field or parameter has an invalid value.
        public static let invalidArgument = Code(rawValue: "invalid_argument")
        /// The body is larger than the endpoint allows.
        public static let payloadTooLarge = Code(rawValue: "payload_too_large")
        /// No or a malformed credential.
        public static let unauthenticated = Code(rawValue: "unauthenticated")
        /// The credential is valid but revoked or not allowed here.
        public static let forbidden = Code(rawValue: "forbidden")
        /// The resource does not exist.
        public static let notFound = Code(rawValue: "not_found")
        /// The resource exists already or is in a state that forbids the operation.
        public static let conflict = Code(rawValue: "conflict")
        /// The uploaded model failed validation.
        public static let invalidModel = Code(rawValue: "invalid_model")
        /// A signature does not verify with the fleet key.
        public static let badSignature = Code(rawValue: "bad_signature")
        /// The requested byte range cannot be served.
        public static let rangeNotSatisfiable = Code(rawValue: "range_not_satisfiable")
        /// The HTTP method is not allowed.
        public static let methodNotAllowed = Code(rawValue: "method_not_allowed")
        /// Something failed on the server.
        public static let internalError = Code(rawValue: "internal_error")
    }
}

extension APIError {
    /// 400 with ``Code/invalidArgument``.
    static func invalid(_ message: String) -> APIError { APIError(.badRequest, .invalidArgument, message) }
    /// 404 with ``Code/notFound``.
    static func notFound(_ message: String) -> APIError { APIError(.notFound, .notFound, message) }
    /// 409 with ``Code/conflict``.
    static func conflict(_ message: String) -> APIError { APIError(.conflict, .conflict, message) }
    /// 413 with ``Code/payloadTooLarge``.
    static func tooLarge(_ message: String) -> APIError { APIError(.contentTooLarge, .payloadTooLarge, message) }
}
