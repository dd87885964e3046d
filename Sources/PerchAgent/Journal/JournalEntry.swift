import Foundation
import PerchWire

/// One result or event as the pipeline hands it to the journal (the journal assigns the sequence number).
public struct JournalEntry: Sendable, Equatable {
    /// Plain result or event.
    public var kind: ResultRecord.Kind
    /// Capture time, Unix epoch milliseconds (wall clock, possibly wrong before NTP sync).
    public var capturedAtMs: Int64
    /// Capture time on the monotonic clock, nanoseconds since boot.
    public var monotonicNs: Int64
    /// The model's name.
    public var modelName: String
    /// The model's version.
    public var modelVersion: String
    /// The label (or group) with the highest score; for events `label:appeared` / `label:left`.
    public var label: String
    /// Its score, 0…1.
    public var score: Double
    /// Inference latency, milliseconds.
    public var latencyMs: Double
    /// Whether the board was throttled at capture time.
    public var throttled: Bool
    /// A small JPEG snapshot (events only).
    public var snapshot: Data?

    /// Creates an entry.
    public init(
        kind: ResultRecord.Kind, capturedAtMs: Int64, monotonicNs: Int64, modelName: String, modelVersion: String,
        label: String, score: Double, latencyMs: Double, throttled: Bool, snapshot: Data? = nil
    ) {
        self.kind = kind
        self.capturedAtMs = capturedAtMs
        self.monotonicNs = monotonicNs
        self.modelName = modelName
        self.modelVersion = modelVersion
        self.label = label
        self.score = score
        self.latencyMs = latencyMs
        self.throttled = throttled
        self.snapshot = snapshot
    }

    /// The bytes this entry is charged against the journal's cap: its payload plus a fixed row overhead.
    public var chargedBytes: Int {
        64 + modelName.utf8.count + modelVersion.utf8.count + label.utf8.count + (snapshot?.count ?? 0)
    }

    /// The wire record for sequence number `seq`.
    public func record(seq: Int64) -> ResultRecord {
        ResultRecord(
            seq: seq, capturedAtMs: capturedAtMs, monotonicNs: monotonicNs, kind: kind, modelName: modelName,
            modelVersion: modelVersion, label: label, score: score, latencyMs: latencyMs, throttled: throttled,
            snapshot: snapshot)
    }
}
