import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import PerchWire
import ServiceLifecycle
import Synchronization

/// Over-the-air model updates: poll the assignment, download with resume, verify, activate, watch, commit or roll back.
public final class OTAService: Service, Sendable {
    /// What one poll did.
    public enum PollOutcome: Sendable, Equatable {
        /// Not enrolled yet.
        case notEnrolled
        /// The assignment did not change (HTTP 304).
        case unchanged
        /// Nothing is assigned, or the assigned model is already active.
        case nothingToDo
        /// The assigned version failed before and is never retried automatically.
        case skippedFailedVersion(String)
        /// The model was refused before it ran.
        case refused(ModelRefusal)
        /// The model ran through its health window and was committed.
        case committed(String)
        /// The model failed its health window; the previous slot was restored.
        case rolledBack(ModelRefusal)
        /// Graceful shutdown came inside the health window: the next start counts it as a failure (boot counting).
        case interrupted
    }

    /// Counters for `/metrics` and tests.
    public struct Status: Sendable, Equatable {
        /// The last assignment ETag.
        public var etag: String?
        /// Blob bytes received over HTTP (a resumed download counts only what it fetched).
        public var downloadedBytes: Int64 = 0
        /// Reports delivered to the server.
        public var reports: [ActivationReport] = []
        /// The last outcome.
        public var lastOutcome: PollOutcome?
    }

    let configuration: AgentConfiguration
    let slots: ModelSlots
    let pipeline: Pipeline
    let factory: ModelPackage
    let client: HTTPClient
    let logger: Logger
    let publicKey: Data
    let state = Mutex(Status())

    /// Creates the service.
    ///
    /// - Parameters:
    ///   - configuration: `ota` settings, the memory budget, the server URL and state directory.
    ///   - slots: The model slots.
    ///   - pipeline: The pipeline to hot-swap.
    ///   - factory: The factory model (the last resort of a rollback).
    ///   - client: The HTTP client.
    ///   - logger: The daemon's logger.
    public init(
        configuration: AgentConfiguration, slots: ModelSlots, pipeline: Pipeline, factory: ModelPackage,
        client: HTTPClient, logger: Logger
    ) {
        self.configuration = configuration
        self.slots = slots
        self.pipeline = pipeline
        self.factory = factory
        self.client = client
        self.logger = logger
        self.publicKey = Data(base64Encoded: configuration.ota.fleetPublicKey) ?? Data()
    }

    /// The counters.
    public var status: Status { state.withLock { $0 } }

    /// Polls on the configured interval (jittered ±25 %) until graceful shutdown.
    public func run() async throws {
        var generator = SystemRandomNumberGenerator()
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let outcome = try await pollOnce()
                state.withLock { $0.lastOutcome = outcome }
            } catch {
                logger.debug("Assignment poll failed", metadata: ["error": "\(error)"])
            }
            let base = Double(configuration.ota.pollIntervalS)
            let seconds = base * Double.random(in: 0.75...1.25, using: &generator)
            await gracefulSleep(for: .milliseconds(Int64(seconds * 1000)))
        }
    }

    /// One poll: deliver a pending report, fetch the assignment, and carry a new model through its whole life.
    ///
    /// - Returns: What happened.
    /// - Throws: Transport or file-system errors (the next poll retries).
    public func pollOnce() async throws -> PollOutcome {
        guard let credentials = try DeviceCredentials.load(stateDirectory: configuration.device.stateDirectory) else {
            return .notEnrolled
        }
        var slotState = try slots.load()
        if let pending = slotState.pendingReport {
            try await report(pending, credentials)
            slotState.pendingReport = nil
            try slots.save(slotState)
        }
        var request = HTTPClientRequest(url: configuration.sync.serverURL + "/api/v1/device/assignment")
        request.headers.add(name: "Authorization", value: "Bearer \(credentials.token)")
        if let etag = state.withLock({ $0.etag }) { request.headers.add(name: "If-None-Match", value: etag) }
        let response = try await client.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 4 * 1024 * 1024)
        if response.status == .notModified { return .unchanged }
        guard response.status == .ok else { throw AgentError.sync("assignment: HTTP \(response.status.code)") }
        let assignment = try JSONDecoder().decode(AssignmentResponse.self, from: Data(body.readableBytesView))
        let etag = response.headers.first(name: "ETag")
        let outcome = try await carryOut(assignment, credentials, &slotState)
        // Remembered only once the assignment was carried through: after a failed download the next poll must
        // not get "304 Not Modified" and give up on it.
        state.withLock { $0.etag = etag }
        return outcome
    }

    /// Verifies, downloads, activates and health-checks the assigned model (or says why not).
    func carryOut(
        _ assignment: AssignmentResponse, _ credentials: DeviceCredentials, _ slotState: inout ModelSlots.State
    ) async throws -> PollOutcome {
        guard let signed = assignment.manifest, let rolloutId = assignment.rolloutId else { return .nothingToDo }

        let manifest: ModelManifest
        do {
            manifest = try ModelVerifier.manifest(signed, publicKey: publicKey)
        } catch {
            await deliver(
                ActivationReport(rolloutId: rolloutId, outcome: .failed, detail: error.description), credentials,
                &slotState)
            return .refused(error)
        }
        let key = "\(manifest.name)@\(manifest.version)"
        if slotState.failed.contains(key) { return .skippedFailedVersion(key) }
        if slotState.active?.sha256 == manifest.sha256 && !slotState.probation { return .nothingToDo }

        let bytes = try await download(manifest, credentials)
        let package: ModelPackage
        do {
            package = try ModelVerifier.validate(
                bytes, manifest: manifest, memoryBudget: configuration.memoryBudgetBytes)
        } catch {
            try? FileManager.default.removeItem(atPath: slots.stagingPath(sha256: manifest.sha256))
            slotState.failed.append(key)
            try slots.save(slotState)
            logger.warning("Model refused", metadata: ["model.version": "\(manifest.version)", "error": "\(error)"])
            await deliver(
                ActivationReport(rolloutId: rolloutId, outcome: .failed, detail: error.description), credentials,
                &slotState)
            return .refused(error)
        }

        // Activate: the file first, then the atomic switch of slots.json.
        try slots.install(stagedSHA256: manifest.sha256)
        let slot = ModelSlots.Slot(
            name: manifest.name, version: manifest.version, sha256: manifest.sha256, labels: manifest.labels,
            mean: manifest.normalization.mean, std: manifest.normalization.std, rolloutId: rolloutId,
            preprocessing: ModelPackage.manifestPreprocessing(package.recipe))
        let previous = slotState.active
        slotState.previous = previous
        slotState.active = slot
        slotState.probation = true
        slotState.probationBoots = 0
        try slots.save(slotState)
        let generation = pipeline.counters.snapshot.modelGeneration
        pipeline.swapModel(package)
        logger.info("Model activated", metadata: ["model.id": "\(key)", "model.sha256": "\(manifest.sha256)"])
        await deliver(ActivationReport(rolloutId: rolloutId, outcome: .activated), credentials, &slotState)

        let verdict = await healthWindow(after: generation)
        if verdict == .interrupted { return .interrupted }
        if case .unhealthy(let problem) = verdict {
            let restored = previous.flatMap(slots.package) ?? factory
            pipeline.swapModel(restored)
            slotState.active = previous
            slotState.previous = nil
            slotState.probation = false
            slotState.failed.append(key)
            try slots.save(slotState)
            logger.warning("Model rolled back", metadata: ["model.id": "\(key)", "error": "\(problem)"])
            await deliver(
                ActivationReport(rolloutId: rolloutId, outcome: .rolledBack, detail: problem.description), credentials,
                &slotState)
            return .rolledBack(problem)
        }
        slotState.probation = false
        try slots.save(slotState)
        logger.info("Model committed", metadata: ["model.id": "\(key)"])
        await deliver(ActivationReport(rolloutId: rolloutId, outcome: .healthy), credentials, &slotState)
        return .committed(key)
    }

    enum Verdict: Equatable {
        case healthy
        case unhealthy(ModelRefusal)
        case interrupted
    }

    /// Waits for the swap and N frames on the new model, checking each frame's latency against the bound.
    func healthWindow(after generation: Int) async -> Verdict {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let snapshot = pipeline.counters.snapshot
            if snapshot.modelGeneration == generation, let failure = snapshot.swapFailure {
                return .unhealthy(.unhealthy("swap failed: \(failure)"))
            }
            if snapshot.modelGeneration > generation {
                if snapshot.maxLatencyOnModelMs > Double(configuration.ota.maxLatencyMs) {
                    return .unhealthy(
                        .unhealthy(
                            "latency \(snapshot.maxLatencyOnModelMs) ms exceeds \(configuration.ota.maxLatencyMs) ms"))
                }
                if snapshot.framesOnModel >= Int64(configuration.ota.healthFrames) { return .healthy }
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return .interrupted
    }

    /// Downloads the blob into the staging slot, resuming a partial file with an HTTP Range request.
    func download(_ manifest: ModelManifest, _ credentials: DeviceCredentials) async throws -> [UInt8] {
        let path = slots.stagingPath(sha256: manifest.sha256)
        let existing = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
        var have = existing
        if have > manifest.size {
            try FileManager.default.removeItem(atPath: path)
            have = 0
        }
        if have < manifest.size {
            var request = HTTPClientRequest(
                url: configuration.sync.serverURL + "/api/v1/models/\(manifest.name)/\(manifest.version)/blob")
            request.headers.add(name: "Authorization", value: "Bearer \(credentials.token)")
            if have > 0 { request.headers.add(name: "Range", value: "bytes=\(have)-") }
            let response = try await client.execute(request, timeout: .seconds(600))
            let append: Bool
            switch response.status {
            case .partialContent: append = true
            case .ok: append = false
            default: throw AgentError.sync("blob: HTTP \(response.status.code)")
            }
            if !append || !FileManager.default.fileExists(atPath: path) {
                _ = FileManager.default.createFile(atPath: path, contents: nil)
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            if append { try handle.seekToEnd() } else { try handle.truncate(atOffset: 0) }
            for try await chunk in response.body {
                try handle.write(contentsOf: Data(chunk.readableBytesView))
                state.withLock { $0.downloadedBytes += Int64(chunk.readableBytes) }
            }
            try handle.synchronize()
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AgentError.sync("staging file vanished")
        }
        return [UInt8](data)
    }

    /// Sends a report; an undelivered one is kept in `slots.json` and sent at the next poll.
    func deliver(_ report: ActivationReport, _ credentials: DeviceCredentials, _ slotState: inout ModelSlots.State)
        async
    {
        do {
            try await self.report(report, credentials)
        } catch {
            slotState.pendingReport = report
            try? slots.save(slotState)
        }
    }

    func report(_ report: ActivationReport, _ credentials: DeviceCredentials) async throws {
        var request = HTTPClientRequest(url: configuration.sync.serverURL + "/api/v1/device/activation")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(credentials.token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(report)))
        let response = try await client.execute(request, timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 1024 * 1024)
        guard (200..<300).contains(response.status.code) else {
            throw AgentError.sync("activation report: HTTP \(response.status.code)")
        }
        state.withLock { $0.reports.append(report) }
    }
}
