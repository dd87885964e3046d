import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Turns every error a route throws into a JSON ``APIError`` response.
///
/// Framework errors (unknown route, body too large) keep their status but get the JSON body;
/// decoding errors become 400; anything else is logged and becomes a 500 without details.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            return try Self.apiError(for: error, context: context).response(from: request, context: context)
        }
    }

    /// Maps any error to the API error the client sees.
    static func apiError(for error: any Error, context: Context) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as DecodingError:
            return APIError(.badRequest, .malformedBody, Self.describe(error))
        case is NIOTooManyBytesError:
            return .tooLarge("request body too large")
        case let error as HTTPResponseError:
            switch error.status {
            case .notFound: return .notFound("no such resource")
            case .contentTooLarge: return .tooLarge("request body too large")
            case .methodNotAllowed: return APIError(.methodNotAllowed, .methodNotAllowed, "method not allowed")
            case .badRequest: return APIError(.badRequest, .malformedBody, "malformed request")
            case .unauthorized: return APIError(.unauthorized, .unauthenticated, "authentication required")
            default:
                let code: APIError.Code = error.status.code < 500 ? .invalidArgument : .internalError
                return APIError(error.status, code, error.status.reasonPhrase)
            }
        default:
            context.logger.error("Request failed", metadata: ["error.type": "\(type(of: error))"])
            return APIError(.internalServerError, .internalError, "internal error")
        }
    }

    /// A short description of a decoding error naming the offending field, without internals.
    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            let text = codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return text.isEmpty ? "body" : text
        }
        switch error {
        case .typeMismatch(_, let context): return "wrong type at \(path(context.codingPath))"
        case .valueNotFound(_, let context): return "null value at \(path(context.codingPath))"
        case .keyNotFound(let key, let context):
            return "missing field \(path(context.codingPath + [key]))"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? "body is not valid JSON" : "invalid value at \(path(context.codingPath))"
        @unknown default: return "malformed body"
        }
    }
}
