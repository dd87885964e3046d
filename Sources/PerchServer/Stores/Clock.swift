import Foundation

/// The wall clock in Unix epoch milliseconds, the unit of every time the server stores.
enum WallClock {
    /// Now, in Unix epoch milliseconds.
    static func nowMs() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded())
    }
}
