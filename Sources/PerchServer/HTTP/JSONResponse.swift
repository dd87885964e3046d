import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Building JSON responses from wire types.
enum JSONResponse {
    /// Encodes `value` as a JSON response.
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws
        -> Response
    {
        let data = try JSONEncoder().encode(value)
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension Request {
    /// A query parameter parsed as `T`, `nil` when absent.
    ///
    /// - Throws: ``APIError`` 400 when present but not a valid `T`.
    func query<T: LosslessStringConvertible>(_ name: String, as type: T.Type) throws -> T? {
        guard let text = uri.queryParameters.get(name) else { return nil }
        guard let value = T(text) else { throw APIError.invalid("query parameter \(name) must be a \(T.self)") }
        return value
    }
}

extension Parameters {
    /// A path parameter parsed as `T`.
    ///
    /// - Throws: ``APIError`` 400 when missing or not a valid `T`.
    func value<T: LosslessStringConvertible>(_ name: String, as type: T.Type) throws -> T {
        guard let text = get(name), let value = T(text) else {
            throw APIError.invalid("path parameter \(name) must be a \(T.self)")
        }
        return value
    }
}
