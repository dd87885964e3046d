import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The two clocks every result carries: a Pi has no real-time clock, so wall time alone may be wrong.
enum Clocks {
    /// Unix epoch milliseconds.
    static func wallMilliseconds() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    /// `CLOCK_MONOTONIC` nanoseconds (since boot, not counting suspend).
    static func monotonicNanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }
}
