import Crypto
import Foundation

/// Hashing and constant-time comparison of bearer secrets (device tokens, admin token, enrollment secret).
///
/// Secrets are compared as SHA-256 digests, so both sides have the same length and the comparison
/// time does not depend on where the first differing byte is.
public enum SecretDigest {
    /// SHA-256 of the UTF-8 bytes of `secret`.
    ///
    /// - Parameter secret: The secret.
    /// - Returns: 32 bytes.
    public static func hash(_ secret: String) -> [UInt8] {
        Array(SHA256.hash(data: Data(secret.utf8)))
    }

    /// Compares two byte strings in time that depends only on their lengths.
    ///
    /// - Returns: `true` if they are equal.
    public static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices {
            difference |= lhs[index] ^ rhs[index]
        }
        return difference == 0
    }

    /// Whether `presented` matches the stored digest, compared in constant time.
    ///
    /// - Parameters:
    ///   - presented: The secret the client sent.
    ///   - storedHash: The SHA-256 stored for the expected secret.
    public static func matches(_ presented: String, storedHash: [UInt8]) -> Bool {
        constantTimeEquals(hash(presented), storedHash)
    }

    /// A new random secret: 32 bytes from the system CSPRNG, base64url without padding.
    public static func randomSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
