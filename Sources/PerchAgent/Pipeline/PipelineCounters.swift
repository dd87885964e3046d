import Synchronization

/// What the pipeline has done since start, for `/metrics` and heartbeats.
public struct PipelineSnapshot: Sendable, Equatable {
    /// Frames the source delivered.
    public var captured: Int64 = 0
    /// Frames inferred.
    public var inferred: Int64 = 0
    /// Frames dropped because inference was busy (newest frame wins).
    public var dropped: Int64 = 0
    /// Capture or preprocessing errors.
    public var captureErrors: Int64 = 0
    /// Results journaled.
    public var results: Int64 = 0
    /// Events journaled.
    public var events: Int64 = 0
    /// The last inference latency, milliseconds.
    public var lastLatencyMs: Double = 0
    /// Sum of all inference latencies, milliseconds.
    public var totalLatencyMs: Double = 0
    /// The running model's name and version.
    public var modelName = ""
    /// The running model's version.
    public var modelVersion = ""
    /// Frames inferred by the running model since it was swapped in (the health window).
    public var framesOnModel: Int64 = 0
    /// The largest latency of the running model since it was swapped in, milliseconds.
    public var maxLatencyOnModelMs: Double = 0
    /// Incremented at every successful model swap.
    public var modelGeneration = 0
    /// Why the last requested swap failed, if it did.
    public var swapFailure: String?
    /// Upper bounds of the latency histogram's buckets, milliseconds (the last bucket is +Inf).
    public static let latencyBucketsMs: [Double] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000]
    /// Inferences per latency bucket (not cumulative; one more entry than `latencyBucketsMs` for +Inf).
    public var latencyBuckets = [Int64](repeating: 0, count: latencyBucketsMs.count + 1)

    /// Counts one latency in the histogram.
    mutating func recordLatency(milliseconds: Double) {
        let index = Self.latencyBucketsMs.firstIndex { milliseconds <= $0 } ?? Self.latencyBucketsMs.count
        latencyBuckets[index] += 1
    }

    /// Why the pipeline stopped on its own (source or model failure), if it did.
    public var failure: String?
    /// When the capture loop last went round (monotonic ns; 0 before it starts): frames, errors and reopen
    /// backoffs all count, so only a hang stops it.
    public var captureLoopAtNs: Int64 = 0
    /// When the frame now being inferred was handed to the interpreter (monotonic ns); `nil` between frames.
    public var inferenceBusySinceNs: Int64?
    /// Whether the source ran out of frames (finite `dir:`/`file:` sources).
    public var sourceEnded = false
    /// Whether both threads have ended (every captured frame was inferred or dropped).
    public var finished = false

    /// A snapshot of a pipeline that has not started.
    public init() {}
}

/// Thread-safe counters behind ``PipelineSnapshot``.
public final class PipelineCounters: Sendable {
    let state = Mutex(PipelineSnapshot())

    /// Creates zeroed counters.
    public init() {}

    /// A consistent copy.
    public var snapshot: PipelineSnapshot { state.withLock { $0 } }

    func update(_ body: (inout PipelineSnapshot) -> Void) { state.withLock { body(&$0) } }
}

extension PipelineSnapshot {
    /// Why the pipeline looks hung at `nowNs` (monotonic), or `nil` while it is alive: the capture loop has not
    /// gone round, or one inference has run, for longer than `limitNs`. A pipeline that ended (its source ran
    /// out, or it stopped on an error it reports) is not hung.
    public func stallReason(nowNs: Int64, limitNs: Int64) -> String? {
        if finished || sourceEnded || failure != nil { return nil }
        if captureLoopAtNs > 0, nowNs - captureLoopAtNs > limitNs {
            return "the capture loop has not moved for \((nowNs - captureLoopAtNs) / 1_000_000_000) s"
        }
        if let busy = inferenceBusySinceNs, nowNs - busy > limitNs {
            return "one inference has run for \((nowNs - busy) / 1_000_000_000) s"
        }
        return nil
    }
}
