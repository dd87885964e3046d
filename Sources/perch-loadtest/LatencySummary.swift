/// Percentiles of request latencies.
struct LatencySummary: Codable, Sendable, Equatable {
    /// Median, seconds.
    var p50: Double
    /// 99th percentile, seconds.
    var p99: Double
    /// Slowest, seconds.
    var max: Double

    /// Creates a summary from known values.
    init(p50: Double, p99: Double, max: Double) {
        (self.p50, self.p99, self.max) = (p50, p99, max)
    }

    /// Nearest-rank percentiles of `samples` (seconds); all zero when there are none.
    init(_ samples: [Double]) {
        guard !samples.isEmpty else {
            (p50, p99, max) = (0, 0, 0)
            return
        }
        let sorted = samples.sorted()
        func rank(_ percentile: Double) -> Double {
            // Nearest rank: the smallest value with at least `percentile` of the samples at or below it.
            let index = Int((percentile / 100 * Double(sorted.count)).rounded(.up)) - 1
            return sorted[Swift.max(0, Swift.min(sorted.count - 1, index))]
        }
        p50 = rank(50)
        p99 = rank(99)
        max = sorted[sorted.count - 1]
    }
}
