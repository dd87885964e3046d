import Foundation
import PerchAgent
import PerchWire
import Testing

@Suite struct JournalTests {
    static func entry(_ kind: ResultRecord.Kind = .result, label: String = "cat", snapshot: Int = 0, at ms: Int64 = 1)
        -> JournalEntry
    {
        JournalEntry(
            kind: kind, capturedAtMs: ms, monotonicNs: ms * 1_000_000, modelName: "cat", modelVersion: "v1",
            label: label, score: 0.75, latencyMs: 3.5, throttled: false,
            snapshot: snapshot > 0 ? Data(repeating: 0xAB, count: snapshot) : nil)
    }

    static func open(_ directory: URL, maxRows: Int64 = 1000, maxBytes: Int64 = 1 << 30) throws -> Journal {
        try Journal(
            path: directory.appendingPathComponent("journal.sqlite").path,
            limits: .init(maxBytes: maxBytes, maxRows: maxRows))
    }

    @Test func nothingIsStoredUntilTheBatchedCommit() throws {
        let journal = try Self.open(try TestPaths.temporaryDirectory())
        let seqs = (0..<10).map { journal.append(Self.entry(at: Int64($0))) }
        #expect(seqs == Array(1...10))
        #expect(try journal.unacknowledged(limit: 100).isEmpty)
        #expect(try journal.statistics().pending == 10)
        #expect(try journal.flush() == 10)
        let stored = try journal.unacknowledged(limit: 100)
        #expect(stored.map(\.seq) == Array(1...10))
        #expect(stored[3] == Self.entry(at: 3).record(seq: 4))
        let statistics = try journal.statistics()
        #expect(statistics.rows == 10 && statistics.pending == 0 && statistics.nextSeq == 11)
        #expect(statistics.bytes == Int64(10 * Self.entry().chargedBytes))
        #expect(statistics.bytesWrittenToday > 0)
        #expect(statistics.oldestCapturedAtMs == 0)
    }

    @Test func plainResultsAreEvictedBeforeEventsOldestFirst() throws {
        let journal = try Self.open(try TestPaths.temporaryDirectory(), maxRows: 100)
        for i in 0..<5 { journal.append(Self.entry(.event, at: Int64(i))) }
        for i in 0..<200 { journal.append(Self.entry(at: Int64(i))) }
        try journal.flush()
        var statistics = try journal.statistics()
        #expect(statistics.rows == 100)
        #expect(statistics.evictedResults == 105)
        #expect(statistics.evictedEvents == 0)
        let kept = try journal.storedSequenceNumbers()
        #expect(Array(kept.prefix(5)) == [1, 2, 3, 4, 5])  // every event
        #expect(Array(kept.dropFirst(5)) == Array(111...205))  // the newest results

        for i in 0..<150 { journal.append(Self.entry(.event, at: Int64(1000 + i))) }
        try journal.flush()
        statistics = try journal.statistics()
        #expect(statistics.rows == 100)
        #expect(statistics.evictedResults == 200)
        #expect(statistics.evictedEvents == 55)
        #expect(try journal.storedSequenceNumbers() == Array(256...355))
    }

    @Test func theByteCapEvictsToo() throws {
        let one = Self.entry(snapshot: 1000).chargedBytes
        let journal = try Self.open(try TestPaths.temporaryDirectory(), maxBytes: Int64(one * 10))
        for _ in 0..<25 { journal.append(Self.entry(snapshot: 1000)) }
        try journal.flush()
        let statistics = try journal.statistics()
        #expect(statistics.rows == 10)
        #expect(statistics.bytes == Int64(one * 10))
        #expect(statistics.evictedResults == 15)
    }

    @Test func acknowledgedRowsArePrunedButNeverBeyondTheBatch() throws {
        let journal = try Self.open(try TestPaths.temporaryDirectory())
        for _ in 0..<30 { journal.append(Self.entry()) }
        try journal.flush()
        let batch = try journal.unacknowledged(limit: 10).map(\.seq)
        #expect(batch == Array(1...10))
        // The server holds more (say, from an earlier install): only the uploaded batch goes.
        try journal.acknowledge(batch: batch, highestStoredSeq: 1_000)
        #expect(try journal.storedSequenceNumbers() == Array(11...30))
        // A reply below the batch top prunes only what it covers.
        try journal.acknowledge(batch: Array(11...20), highestStoredSeq: 15)
        #expect(try journal.storedSequenceNumbers() == Array(16...30))
        try journal.acknowledge(batch: Array(16...30), highestStoredSeq: nil)
        let statistics = try journal.statistics()
        #expect(statistics.rows == 15 && statistics.acknowledgedSeq == 15)
    }

    @Test func sequenceNumbersAreNeverReusedAfterPruning() throws {
        let directory = try TestPaths.temporaryDirectory()
        do {
            let journal = try Self.open(directory)
            for _ in 0..<5 { journal.append(Self.entry()) }
            try journal.flush()
            try journal.acknowledge(batch: Array(1...5), highestStoredSeq: 5)
            #expect(try journal.storedSequenceNumbers().isEmpty)
        }
        let reopened = try Self.open(directory)
        #expect(reopened.append(Self.entry()) == 6)
    }

    @Test func aCopyTakenWhileOpenRecoversEveryCommittedRow() throws {
        // Copying the database and its WAL while the writer is still open is what storage holds after a
        // power cut: SQLite must recover every committed batch from the WAL, and nothing uncommitted.
        let directory = try TestPaths.temporaryDirectory()
        let journal = try Self.open(directory)
        for i in 0..<50 { journal.append(Self.entry(at: Int64(i))) }
        try journal.flush()
        for i in 0..<7 { journal.append(Self.entry(.event, at: Int64(100 + i))) }
        try journal.flush()
        for _ in 0..<5 { journal.append(Self.entry()) }  // never committed
        let crashed = try TestPaths.temporaryDirectory()
        for suffix in ["", "-wal"] {
            let name = "journal.sqlite" + suffix
            try FileManager.default.copyItem(
                at: directory.appendingPathComponent(name), to: crashed.appendingPathComponent(name))
        }
        #expect(FileManager.default.fileExists(atPath: crashed.appendingPathComponent("journal.sqlite-wal").path))
        let recovered = try Self.open(crashed)
        #expect(try recovered.storedSequenceNumbers() == Array(1...57))
        let statistics = try recovered.statistics()
        #expect(statistics.rows == 57)
        #expect(statistics.nextSeq == 58)  // the lost, never-uploaded buffer's numbers are reused
        #expect(try recovered.unacknowledged(limit: 100).filter { $0.kind == .event }.count == 7)
    }
}
