import Foundation
import Hummingbird
import NIOCore

/// Reading request bodies with explicit size limits and JSON errors.
enum RequestBody {
    /// Collects at most `limit` bytes of the body.
    ///
    /// - Throws: ``APIError`` 413 when the body (or its `Content-Length`) exceeds `limit`.
    static func collect(_ request: Request, limit: Int) async throws -> ByteBuffer {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw APIError.tooLarge("body of \(length) bytes exceeds the limit of \(limit) bytes")
        }
        do {
            return try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw APIError.tooLarge("body exceeds the limit of \(limit) bytes")
        }
    }

    /// Collects and decodes a JSON body.
    ///
    /// - Throws: ``APIError`` 413 (too large) or 400 (`malformed_body`, naming the field).
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T {
        let buffer = try await collect(request, limit: limit)
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw APIError(.badRequest, .malformedBody, ErrorMiddleware<PerchRequestContext>.describe(error))
        }
    }
}
