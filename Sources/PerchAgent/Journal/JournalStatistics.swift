/// The journal's counters, as `/metrics` and heartbeats report them.
public struct JournalStatistics: Sendable, Equatable {
    /// Committed rows not yet acknowledged (and not evicted).
    public var rows: Int64 = 0
    /// Bytes charged for those rows.
    public var bytes: Int64 = 0
    /// Entries appended but not yet committed.
    public var pending: Int = 0
    /// The next sequence number to assign.
    public var nextSeq: Int64 = 1
    /// The highest sequence number the server acknowledged.
    public var acknowledgedSeq: Int64 = 0
    /// Plain results evicted because the journal was full, since it was created.
    public var evictedResults: Int64 = 0
    /// Events evicted because the journal was full, since it was created.
    public var evictedEvents: Int64 = 0
    /// Bytes written to storage today (UTC), measured around every commit.
    public var bytesWrittenToday: Int64 = 0
    /// Bytes written to storage since the journal was created.
    public var bytesWrittenTotal: Int64 = 0
    /// Capture time of the oldest committed row, Unix epoch milliseconds.
    public var oldestCapturedAtMs: Int64?

    /// Creates zeroed statistics.
    public init() {}
}
