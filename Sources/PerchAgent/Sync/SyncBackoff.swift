/// Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And Jitter").
///
/// The n-th consecutive failure waits a uniformly random time in `0…min(maximum, initial × 2ⁿ)`, so a
/// fleet that lost its server does not come back in lock-step.
public struct SyncBackoff: Sendable, Equatable {
    /// The first ceiling.
    public let initial: Duration
    /// The largest ceiling.
    public let maximum: Duration
    /// Consecutive failures so far.
    public private(set) var failures = 0

    /// Creates a backoff.
    public init(initial: Duration, maximum: Duration) {
        self.initial = initial
        self.maximum = maximum
    }

    /// The ceiling of the next delay.
    public var ceiling: Duration {
        let factor = 1 << min(failures, 30)
        let scaled = initial * factor
        return scaled > maximum || scaled < .zero ? maximum : scaled
    }

    /// Records a failure and draws the delay before the next attempt.
    public mutating func nextDelay(using generator: inout some RandomNumberGenerator) -> Duration {
        let bound = ceiling
        failures += 1
        let nanoseconds = bound.components.seconds * 1_000_000_000 + bound.components.attoseconds / 1_000_000_000
        return .nanoseconds(Int64.random(in: 0...max(0, nanoseconds), using: &generator))
    }

    /// Records a success.
    public mutating func reset() { failures = 0 }
}
