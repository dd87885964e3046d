import PerchConformance
import PerchInference

/// A failure the CLI reports as one line on stderr.
enum CLIError: Error, CustomStringConvertible {
    case cannotRead(path: String, reason: String)
    case interpreter(path: String, InterpreterError)
    case vectors(path: String, VectorFileError)
    case badInput(String)
    case verificationFailed(passed: Int, total: Int)

    var description: String {
        switch self {
        case .cannotRead(let path, let reason): return "cannot read \(path): \(reason)"
        case .interpreter(let path, let error): return "\(path): \(error)"
        case .vectors(let path, let error): return "\(path): \(error)"
        case .badInput(let message): return message
        case .verificationFailed(let passed, let total): return "\(total - passed) of \(total) cases are not bit-exact"
        }
    }
}
