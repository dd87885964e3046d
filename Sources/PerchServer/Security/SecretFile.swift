import Foundation

/// Reads and writes small secret files (tokens, keys) with owner-only permissions.
enum SecretFile {
    /// Writes `text` to `url` with mode 0600.
    static func write(_ text: String, to url: URL) throws {
        try Data((text + "\n").utf8).write(to: url, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
    }

    /// Reads a secret, trimmed of whitespace; `nil` if the file does not exist.
    static func read(_ url: URL) throws -> String? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let text = try String(contentsOf: url, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw ServerSetupError("empty secret file \(url.path)") }
        return text
    }
}

/// A problem with the server's setup (data directory, keys, secrets); fatal at start.
public struct ServerSetupError: Error, CustomStringConvertible {
    /// What is wrong, with the path concerned.
    public var description: String

    /// Creates a setup error.
    public init(_ description: String) {
        self.description = description
    }
}
