/// Why an over-the-air model was refused or rolled back; the text goes into the activation report.
public enum ModelRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// The manifest's Ed25519 signature does not verify with the fleet public key.
    case badSignature
    /// The signed payload is not a manifest.
    case unreadableManifest
    /// The downloaded bytes are not as long as the manifest says.
    case sizeMismatch(expected: Int64, actual: Int64)
    /// The downloaded bytes' SHA-256 differs from the manifest's.
    case hashMismatch(expected: String, actual: String)
    /// The interpreter refused the model (parse error, unsupported operator, bad shapes).
    case invalidModel(String)
    /// The planned tensor arena exceeds the board's memory budget.
    case overBudget(needed: Int, budget: Int)
    /// The manifest's input description does not match the model.
    case manifestMismatch(String)
    /// A golden vector did not reproduce bit-exactly on this device.
    case goldenVectorMismatch(seed: UInt64, detail: String)
    /// The health window failed (latency above the bound, or the swap failed).
    case unhealthy(String)
    /// The daemon restarted inside the health window.
    case restartedInHealthWindow

    /// One line for logs and reports.
    public var description: String {
        switch self {
        case .badSignature: "manifest signature does not verify with the fleet public key"
        case .unreadableManifest: "signed payload is not a model manifest"
        case .sizeMismatch(let expected, let actual): "size \(actual) bytes, manifest says \(expected)"
        case .hashMismatch(let expected, let actual): "sha256 \(actual), manifest says \(expected)"
        case .invalidModel(let why): "model refused: \(why)"
        case .overBudget(let needed, let budget): "arena and prepared weights need \(needed) bytes, budget is \(budget)"
        case .manifestMismatch(let why): "manifest does not match the model: \(why)"
        case .goldenVectorMismatch(let seed, let detail): "golden vector seed \(seed) does not reproduce: \(detail)"
        case .unhealthy(let why): "health window failed: \(why)"
        case .restartedInHealthWindow: "daemon restarted inside the health window"
        }
    }
}
