import ArgumentParser
import Foundation

/// The options every command that talks to `perch-server`'s admin API shares.
struct FleetOptions: ParsableArguments {
    /// The address `perch-server` listens on by default (`--host 127.0.0.1 --port 8080`).
    static let defaultServer = "http://127.0.0.1:8080"

    @Option(help: "Server URL (default: $PERCH_SERVER, else http://127.0.0.1:8080).")
    var server: String?

    @Option(help: "File holding the admin token (default: $PERCH_ADMIN_TOKEN).")
    var adminTokenFile: String?

    /// The server URL: the option, else `PERCH_SERVER`, else the server's default address.
    func serverURL(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let server { return server }
        if let fromEnvironment = environment["PERCH_SERVER"], !fromEnvironment.isEmpty { return fromEnvironment }
        return Self.defaultServer
    }

    /// The admin token: the file's trimmed content, else `PERCH_ADMIN_TOKEN`.
    ///
    /// - Throws: ``FleetError/tokenFile(path:reason:)`` or ``FleetError/noAdminToken``.
    func adminToken(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
        if let adminTokenFile {
            let text: String
            do {
                text = try String(contentsOfFile: adminTokenFile, encoding: .utf8)
            } catch {
                throw FleetError.tokenFile(path: adminTokenFile, reason: "no such file or not readable")
            }
            let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else { throw FleetError.tokenFile(path: adminTokenFile, reason: "the file is empty") }
            return token
        }
        if let token = environment["PERCH_ADMIN_TOKEN"], !token.isEmpty { return token }
        throw FleetError.noAdminToken
    }

    /// A client for the configured server and token.
    ///
    /// - Throws: ``FleetError`` when the token is missing or the URL is malformed.
    func client() throws -> AdminClient {
        try AdminClient(server: serverURL(), token: adminToken())
    }
}
