import Foundation

/// One inference result (or event) as a device uploads it.
///
/// Times are Unix epoch milliseconds (wall clock); `monotonicNs` is the device's monotonic clock,
/// kept because a board without a real-time clock may report a wrong wall clock after boot.
public struct ResultRecord: Codable, Sendable, Equatable {
    /// The device's sequence number; unique per device, increasing.
    public var seq: Int64
    /// Capture time, Unix epoch milliseconds (wall clock).
    public var capturedAtMs: Int64
    /// Capture time on the device's monotonic clock, nanoseconds.
    public var monotonicNs: Int64?
    /// Whether this is a plain result or an event (which may carry a snapshot).
    public var kind: Kind
    /// The model's name.
    public var modelName: String
    /// The model's version.
    public var modelVersion: String
    /// The label with the highest score.
    public var label: String
    /// The score of `label`, in 0…1.
    public var score: Double
    /// Inference latency in milliseconds.
    public var latencyMs: Double
    /// Whether the board was throttled (thermal or under-voltage) at capture time.
    public var throttled: Bool
    /// An optional small JPEG snapshot (events only), base64 in JSON.
    public var snapshot: Data?

    /// The kind of a record.
    public enum Kind: String, Codable, Sendable {
        /// A plain periodic result.
        case result
        /// A notable event (for example "cat seen").
        case event
    }

    /// Creates a result record.
    public init(
        seq: Int64,
        capturedAtMs: Int64,
        monotonicNs: Int64? = nil,
        kind: Kind = .result,
        modelName: String,
        modelVersion: String,
        label: String,
        score: Double,
        latencyMs: Double,
        throttled: Bool = false,
        snapshot: Data? = nil
    ) {
        self.seq = seq
        self.capturedAtMs = capturedAtMs
        self.monotonicNs = monotonicNs
        self.kind = kind
        self.modelName = modelName
        self.modelVersion = modelVersion
        self.label = label
        self.score = score
        self.latencyMs = latencyMs
        self.throttled = throttled
        self.snapshot = snapshot
    }
}

/// A batch of results uploaded by one device (`POST /api/v1/device/results`).
public struct ResultBatch: Codable, Sendable, Equatable {
    /// The records, in any order; duplicates of stored `(device, seq)` pairs are ignored.
    public var results: [ResultRecord]

    /// Creates a batch.
    public init(results: [ResultRecord]) {
        self.results = results
    }
}

/// The server's acknowledgement of a result batch.
public struct ResultBatchResponse: Codable, Sendable, Equatable {
    /// How many records of the batch were newly stored.
    public var accepted: Int
    /// How many records were already stored (a retried batch).
    public var duplicates: Int
    /// The highest sequence number now stored for the device; `nil` if none is.
    public var highestSeq: Int64?

    /// Creates a batch acknowledgement.
    public init(accepted: Int, duplicates: Int, highestSeq: Int64?) {
        self.accepted = accepted
        self.duplicates = duplicates
        self.highestSeq = highestSeq
    }
}

/// A stored result, as returned by the query API.
public struct StoredResult: Codable, Sendable, Equatable {
    /// The device that produced it.
    public var deviceId: String
    /// The record as uploaded, without the snapshot bytes.
    public var record: ResultRecord
    /// Whether a snapshot is stored (fetch it from the snapshot endpoint).
    public var hasSnapshot: Bool
    /// When the server stored it, Unix epoch milliseconds.
    public var receivedAtMs: Int64

    /// Creates a stored result.
    public init(deviceId: String, record: ResultRecord, hasSnapshot: Bool, receivedAtMs: Int64) {
        self.deviceId = deviceId
        self.record = record
        self.hasSnapshot = hasSnapshot
        self.receivedAtMs = receivedAtMs
    }
}

/// A page of query results (`GET /api/v1/results`).
public struct ResultQueryResponse: Codable, Sendable, Equatable {
    /// The matching results, newest first.
    public var results: [StoredResult]

    /// Creates a query response.
    public init(results: [StoredResult]) {
        self.results = results
    }
}

/// The number of results with one label in one hour.
public struct HourlyCount: Codable, Sendable, Equatable {
    /// The start of the hour, Unix epoch milliseconds (UTC).
    public var hourStartMs: Int64
    /// The label.
    public var label: String
    /// The number of results.
    public var count: Int

    /// Creates an hourly count.
    public init(hourStartMs: Int64, label: String, count: Int) {
        self.hourStartMs = hourStartMs
        self.label = label
        self.count = count
    }
}

/// Counts per label per hour (`GET /api/v1/results/hourly`).
public struct HourlyCountsResponse: Codable, Sendable, Equatable {
    /// The counts, ordered by hour then label.
    public var counts: [HourlyCount]

    /// Creates an hourly-counts response.
    public init(counts: [HourlyCount]) {
        self.counts = counts
    }
}
