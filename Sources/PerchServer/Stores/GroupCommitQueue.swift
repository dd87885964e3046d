import GRDB
import PerchWire
import Synchronization

/// Group commit for result batches: batches that arrive while a transaction is being written wait, then go
/// into the next transaction together, each in its own savepoint.
///
/// SQLite's cost per transaction is dominated by the commit's `fsync` (milliseconds on an SD card or a VM disk),
/// so one transaction per HTTP request caps ingestion at a few hundred batches per second. Here one commit
/// acknowledges every batch in it, and a reply is sent only after the commit returns, so the durability promise
/// is unchanged: an acknowledged result is on disk. A batch that fails (for example a constraint error) rolls back
/// only its own savepoint and gets its own error; a failed commit fails every batch in it, none acknowledged.
final class GroupCommitQueue: Sendable {
    /// One waiting batch.
    private struct Job: Sendable {
        var batch: ResultBatch
        var deviceId: String
        var continuation: CheckedContinuation<ResultBatchResponse, any Error>
    }

    private struct State {
        var jobs: [Job] = []
        var draining = false
    }

    private let state = Mutex(State())
    /// The most batches one transaction takes, so a burst does not hold the writer indefinitely.
    let maxBatchesPerTransaction: Int

    /// Creates a queue.
    init(maxBatchesPerTransaction: Int = 256) {
        precondition(maxBatchesPerTransaction > 0, "a transaction takes at least one batch")
        self.maxBatchesPerTransaction = maxBatchesPerTransaction
    }

    /// Stores `batch` in the next group transaction and returns once that transaction is committed.
    ///
    /// - Parameters:
    ///   - write: Writes one batch inside the open transaction and returns its acknowledgement.
    /// - Throws: The batch's own error, or the transaction's.
    func submit(
        _ batch: ResultBatch, deviceId: String, pool: DatabasePool,
        write: @escaping @Sendable (Database, ResultBatch, String) throws -> ResultBatchResponse
    ) async throws -> ResultBatchResponse {
        try await withCheckedThrowingContinuation { continuation in
            let startDraining = state.withLock { state in
                state.jobs.append(Job(batch: batch, deviceId: deviceId, continuation: continuation))
                guard !state.draining else { return false }
                state.draining = true
                return true
            }
            if startDraining {
                Task { await self.drain(pool: pool, write: write) }
            }
        }
    }

    /// Writes waiting batches, a group per transaction, until none is left.
    private func drain(
        pool: DatabasePool, write: @escaping @Sendable (Database, ResultBatch, String) throws -> ResultBatchResponse
    ) async {
        while true {
            let jobs = state.withLock { state -> [Job] in
                let taken = Array(state.jobs.prefix(maxBatchesPerTransaction))
                state.jobs.removeFirst(taken.count)
                if taken.isEmpty { state.draining = false }
                return taken
            }
            guard !jobs.isEmpty else { return }
            let requests = jobs.map { ($0.batch, $0.deviceId) }
            let outcomes: [Result<ResultBatchResponse, any Error>]
            do {
                outcomes = try await pool.write { db in
                    requests.map { batch, deviceId in
                        Result {
                            var response: ResultBatchResponse?
                            try db.inSavepoint {
                                response = try write(db, batch, deviceId)
                                return .commit
                            }
                            // inSavepoint ran the closure, which either set the response or threw.
                            return response!
                        }
                    }
                }
            } catch {
                outcomes = jobs.map { _ in .failure(error) }
            }
            for (job, outcome) in zip(jobs, outcomes) {
                job.continuation.resume(with: outcome)
            }
        }
    }
}
