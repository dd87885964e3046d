/// One thing wrong with a configuration file, named by its TOML key path.
public struct ConfigurationProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// Why a key is wrong.
    public enum Reason: Sendable, Equatable {
        /// The file does not exist or cannot be read.
        case missingFile(path: String)
        /// The file is not valid TOML.
        case syntax(message: String, line: Int, column: Int)
        /// The key is not part of the schema.
        case unknownKey
        /// The value has the wrong TOML type.
        case wrongType(expected: String, found: String)
        /// The value is outside its allowed range.
        case outOfRange(value: String, allowed: String)
        /// The value is well-typed but invalid (explained).
        case invalid(String)
        /// A file the key names does not exist.
        case fileNotFound(path: String)
    }

    /// The dotted key path (`camera.fps`); empty for whole-file problems.
    public var keyPath: String
    /// The reason.
    public var reason: Reason

    /// Creates a problem.
    public init(_ keyPath: String, _ reason: Reason) {
        self.keyPath = keyPath
        self.reason = reason
    }

    /// `key.path: reason`, one line.
    public var description: String {
        let text: String
        switch reason {
        case .missingFile(let path): text = "cannot read file \(path)"
        case .syntax(let message, let line, let column):
            text = "TOML syntax error at line \(line), column \(column): \(message)"
        case .unknownKey: text = "unknown key"
        case .wrongType(let expected, let found): text = "wrong type: expected \(expected), found \(found)"
        case .outOfRange(let value, let allowed): text = "out of range: \(value) (allowed \(allowed))"
        case .invalid(let why): text = why
        case .fileNotFound(let path): text = "file not found: \(path)"
        }
        return keyPath.isEmpty ? text : "\(keyPath): \(text)"
    }
}

/// Every problem of a configuration that failed to load.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// The file.
    public var path: String
    /// The problems, in file order as far as TOML allows (tables, then keys, sorted).
    public var problems: [ConfigurationProblem]

    /// Creates a configuration error.
    public init(path: String, problems: [ConfigurationProblem]) {
        self.path = path
        self.problems = problems
    }

    /// One line per problem, each prefixed by the file.
    public var description: String {
        problems.map { "\(path): \($0)" }.joined(separator: "\n")
    }
}
