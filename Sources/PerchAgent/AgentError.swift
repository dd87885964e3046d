/// A failure of the daemon's environment or data.
public enum AgentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A model cannot be read, parsed or prepared.
    case model(String)
    /// The frame source cannot be opened.
    case source(String)
    /// Enrollment or an upload failed (bad secret, unreadable file).
    case sync(String)
    /// The server answered a request with a non-success status.
    case http(path: String, status: Int)

    /// One line.
    public var description: String {
        switch self {
        case .model(let why): "model: \(why)"
        case .source(let why): "source: \(why)"
        case .sync(let why): "sync: \(why)"
        case .http(let path, let status): "sync: \(path): HTTP \(status)"
        }
    }
}
