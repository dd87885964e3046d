import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PerchWire

/// A small client of `perch-server`'s admin API (`openapi/perch-api.yaml`) over AsyncHTTPClient.
///
/// Every request carries `Authorization: Bearer <admin token>`. A non-2xx reply becomes
/// ``FleetError/server(status:code:message:)`` with the server's JSON error body; a transport failure becomes
/// ``FleetError/unreachable(server:reason:)``. Replies keep their raw bytes so `--json` prints the wire JSON.
struct AdminClient: Sendable {
    /// The server's base URL, without a trailing slash.
    let server: String
    /// The admin bearer token.
    let token: String
    /// The HTTP client (``sharedHTTPClient`` unless a test passes its own).
    let http: HTTPClient
    /// The deadline of ordinary requests.
    var timeout: TimeAmount = .seconds(60)

    /// A reply with a 2xx status.
    struct Reply: Sendable {
        /// The HTTP status code.
        var status: Int
        /// The body exactly as the server sent it.
        var body: Data

        /// The body as text (for `--json`).
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// Creates a client.
    ///
    /// - Throws: ``FleetError/badServerURL(_:)`` unless `server` is an absolute http(s) URL.
    init(server: String, token: String, http: HTTPClient = AdminClient.sharedHTTPClient) throws {
        guard let url = URL(string: server), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else { throw FleetError.badServerURL(server) }
        var base = server
        while base.hasSuffix("/") { base.removeLast() }
        self.server = base
        self.token = token
        self.http = http
    }

    /// The process-wide client of the fleet commands: it fails at once when the server refuses the connection
    /// (AsyncHTTPClient's default retries until the deadline, so `perch devices` against a stopped server would
    /// hang for a minute). Never shut down: it lives as long as the process.
    static let sharedHTTPClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(10)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    // MARK: - Requests

    /// Sends one request and returns the 2xx reply.
    ///
    /// - Parameters:
    ///   - method: The HTTP method.
    ///   - path: The path, already percent-encoded (use ``segment(_:)`` for parameters).
    ///   - query: Query parameters; `nil` values are left out.
    ///   - body: The request body, if any.
    ///   - contentType: The body's media type.
    ///   - timeout: The deadline; ``timeout`` when `nil`.
    /// - Throws: ``FleetError``.
    func send(
        _ method: HTTPMethod, _ path: String, query: [(String, String?)] = [], body: HTTPClientRequest.Body? = nil,
        contentType: String = "application/json", timeout: TimeAmount? = nil
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: server + path + Self.queryString(query))
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: "application/json")
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = body
        }
        let response: HTTPClientResponse
        let bytes: ByteBuffer
        do {
            response = try await http.execute(request, timeout: timeout ?? self.timeout)
            bytes = try await response.body.collect(upTo: 256 * 1024 * 1024)
        } catch {
            throw FleetError.unreachable(server: server, reason: Self.reason(for: error))
        }
        let data = Data(bytes.readableBytesView)
        let status = Int(response.status.code)
        guard (200..<300).contains(status) else {
            if let error = try? JSONDecoder().decode(ErrorResponse.self, from: data) {
                throw FleetError.server(status: status, code: error.error.code, message: error.error.message)
            }
            let text = String(decoding: data.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw FleetError.server(
                status: status, code: nil, message: text.isEmpty ? response.status.reasonPhrase : text)
        }
        return Reply(status: status, body: data)
    }

    /// Sends a request with a JSON body (or none) and decodes the JSON reply.
    ///
    /// - Returns: The decoded value and the raw reply.
    /// - Throws: ``FleetError``.
    func call<Response: Decodable>(
        _ method: HTTPMethod, _ path: String, query: [(String, String?)] = [], json: (some Encodable)? = nil as Int?,
        as type: Response.Type
    ) async throws -> (Response, Reply) {
        var body: HTTPClientRequest.Body?
        if let json {
            body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(json)))
        }
        let reply = try await send(method, path, query: query, body: body)
        return (try Self.decode(type, from: reply, path: path), reply)
    }

    /// Decodes a reply body.
    ///
    /// - Throws: ``FleetError/badResponse(path:reason:)``.
    static func decode<T: Decodable>(_ type: T.Type, from reply: Reply, path: String) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: reply.body)
        } catch {
            throw FleetError.badResponse(path: path, reason: "not a \(T.self) JSON body")
        }
    }

    // MARK: - Encoding

    /// Characters left unescaped in a path segment or query value (RFC 3986 "unreserved").
    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// Percent-encodes one path segment (a device id, model name, version).
    static func segment(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? value
    }

    /// `?a=1&b=2` from the non-`nil` parameters, or an empty string.
    static func queryString(_ query: [(String, String?)]) -> String {
        let pairs = query.compactMap { name, value in value.map { "\(name)=\(segment($0))" } }
        return pairs.isEmpty ? "" : "?" + pairs.joined(separator: "&")
    }

    /// A short, human reason for a transport error.
    static func reason(for error: any Error) -> String {
        let text = String(describing: error)
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout: return "connection timed out"
            case .deadlineExceeded, .readTimeout: return "no reply in time"
            case .remoteConnectionClosed: return "the server closed the connection"
            default: break
            }
        }
        if text.contains("refused") || text.contains("errno: 111") { return "connection refused" }
        if text.contains("NXDOMAIN") || text.contains("getaddrinfo") || text.contains("nodename") {
            return "host not found"
        }
        return text
    }
}
