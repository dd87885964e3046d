import PerchWire

/// A failure of a fleet command (`perch devices|results|model|rollout|keys`), reported as one line.
enum FleetError: Error, CustomStringConvertible, Equatable {
    /// No admin token was given.
    case noAdminToken
    /// The token file could not be read or is empty.
    case tokenFile(path: String, reason: String)
    /// The server URL is not an http(s) URL.
    case badServerURL(String)
    /// The server could not be reached (refused, timed out, name not found).
    case unreachable(server: String, reason: String)
    /// The server answered with an error status and, usually, its JSON error body.
    case server(status: Int, code: String?, message: String)
    /// The server's 2xx body is not the expected JSON.
    case badResponse(path: String, reason: String)
    /// A local file could not be read or written, or holds the wrong thing.
    case file(path: String, reason: String)
    /// A local check failed (for example a signature that does not verify).
    case check(String)

    var description: String {
        switch self {
        case .noAdminToken:
            return "no admin token: pass --admin-token-file FILE or set PERCH_ADMIN_TOKEN"
        case .tokenFile(let path, let reason):
            return "cannot read admin token file \(path): \(reason)"
        case .badServerURL(let url):
            return "bad server URL \(url): expected http://HOST:PORT or https://HOST:PORT"
        case .unreachable(let server, let reason):
            return "cannot reach perch-server at \(server): \(reason)"
        case .server(let status, let code, let message):
            let hint =
                status == 401
                ? " (check --admin-token-file or PERCH_ADMIN_TOKEN)" : ""
            return "server answered \(status)\(code.map { " \($0)" } ?? ""): \(message)\(hint)"
        case .badResponse(let path, let reason):
            return "unexpected reply from \(path): \(reason)"
        case .file(let path, let reason):
            return "\(path): \(reason)"
        case .check(let message):
            return message
        }
    }
}
