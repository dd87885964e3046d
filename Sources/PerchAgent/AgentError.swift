/// A failure of the daemon's environment or data.
public enum AgentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A model cannot be read, parsed or prepared.
    case model(String)
    /// The frame source cannot be opened.
    case source(String)
    /// Enrollment or an upload was refused for good (bad secret, revoked token).
    case sync(String)

    /// One line.
    public var description: String {
        switch self {
        case .model(let why): "model: \(why)"
        case .source(let why): "source: \(why)"
        case .sync(let why): "sync: \(why)"
        }
    }
}
