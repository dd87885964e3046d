/// Exponential backoff between reopen attempts: `initial`, ×2 each failure, capped at `maximum`.
public struct Backoff: Sendable, Equatable {
    /// First delay.
    public var initial: Duration
    /// Largest delay.
    public var maximum: Duration
    /// The delay before the next attempt (zero when nothing failed).
    public private(set) var current: Duration = .zero

    /// Creates a backoff policy.
    public init(initial: Duration = .milliseconds(250), maximum: Duration = .seconds(8)) {
        self.initial = initial
        self.maximum = maximum
    }

    /// Records a failure: the next delay doubles (starting at `initial`, capped at `maximum`).
    public mutating func recordFailure() {
        current = current == .zero ? initial : min(maximum, current * 2)
    }

    /// Records a success: the next attempt needs no delay.
    public mutating func reset() {
        current = .zero
    }

    /// Sleeps the current delay (the thread blocks; sources are synchronous).
    public func wait() {
        system_sleep(current)
    }
}
