import Logging
import ServiceLifecycle

/// Commits the journal's buffer on an interval, and once more on graceful shutdown.
public struct JournalService: Service {
    let journal: Journal
    let interval: Duration
    let logger: Logger

    /// Creates the service.
    public init(journal: Journal, interval: Duration, logger: Logger) {
        self.journal = journal
        self.interval = interval
        self.logger = logger
    }

    /// Flushes every `interval` until graceful shutdown, then flushes the rest.
    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            await gracefulSleep(for: interval)
            flush()
        }
        flush()
    }

    func flush() {
        do {
            let committed = try journal.flush()
            if committed > 0 { logger.trace("Journal committed", metadata: ["journal.rows": "\(committed)"]) }
        } catch {
            logger.warning("Journal commit failed", metadata: ["error": "\(error)"])
        }
    }
}

/// Runs the pipeline until its source ends or graceful shutdown, then drains it.
public struct PipelineService: Service {
    /// The pipeline.
    public let pipeline: Pipeline

    /// Creates the service.
    public init(pipeline: Pipeline) {
        self.pipeline = pipeline
    }

    /// Starts the threads and waits for them; graceful shutdown stops them after the frame in hand.
    public func run() async throws {
        pipeline.start()
        await withGracefulShutdownHandler {
            await pipeline.waitUntilStopped()
        } onGracefulShutdown: {
            pipeline.stop()
        }
    }
}
