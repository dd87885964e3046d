import Dispatch
import Foundation
import Logging
import PerchCapture
import PerchInference
import PerchWire
import Synchronization

/// Source → preprocess → infer → post-process → journal, on two threads joined by a one-frame slot.
///
/// The capture thread reads frames at the current rate, preprocesses every Nth one and offers it to the
/// slot (the newest frame wins; a replaced frame is counted as dropped). The inference thread owns the
/// interpreter: it swaps in a new model between two frames, infers, post-processes and appends results
/// and events to the journal. Neither thread ever waits for the network.
public final class Pipeline: Sendable {
    /// Counters for metrics and heartbeats.
    public let counters = PipelineCounters()
    /// Rates and thresholds (reloadable, thermal state).
    public let control: RuntimeControl
    let configuration: AgentConfiguration
    let journal: Journal
    let logger: Logger
    let slot = FrameSlot()
    let pendingModel: Mutex<ModelPackage?>
    let inputSpec = Mutex<(spec: InputSpec, options: Preprocessor.Options, generation: Int)?>(nil)
    /// Set by the inference thread when an "appeared" event may be near: the capture thread then JPEG-encodes
    /// raw (non-MJPEG) frames so the event has a snapshot. MJPEG frames always carry theirs.
    let rawSnapshotsWanted = Mutex(false)
    /// "Appeared" events whose frame had no snapshot, held (with the frames waited) until a later frame brings
    /// one; the inference thread's own state.
    let eventsAwaitingSnapshot = Mutex<(entries: [JournalEntry], framesWaited: Int)>(([], 0))
    /// Frames an event waits for a snapshot before it is journaled without one.
    static let snapshotWaitFrames = 5
    let threads = DispatchGroup()

    /// Creates a pipeline that will start with `model`.
    ///
    /// - Parameters:
    ///   - configuration: The daemon configuration (camera, post-processing, budget).
    ///   - model: The model to run first.
    ///   - journal: Where results go.
    ///   - control: Shared runtime settings.
    ///   - logger: The daemon's logger.
    public init(
        configuration: AgentConfiguration, model: ModelPackage, journal: Journal, control: RuntimeControl,
        logger: Logger
    ) {
        self.configuration = configuration
        self.journal = journal
        self.control = control
        self.logger = logger
        self.pendingModel = Mutex(model)
    }

    /// Queues a model to replace the running one between two frames.
    public func swapModel(_ model: ModelPackage) {
        pendingModel.withLock { $0 = model }
    }

    /// Starts both threads; returns at once.
    public func start() {
        threads.enter()
        let inference = Thread { [self] in
            inferenceLoop()
            threads.leave()
        }
        inference.name = "perch-infer"
        inference.start()
    }

    /// Asks both threads to stop after the frame in hand (the waiting frame is still inferred).
    public func stop() {
        control.requestStop()
        slot.close()
    }

    /// Waits until both threads have ended.
    public func waitUntilStopped() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            threads.notify(queue: .global()) { continuation.resume() }
        }
    }

    // MARK: - Inference thread

    func inferenceLoop() {
        defer {
            // The capture thread ends first: it closes the slot, which ends this loop.
            flushHeldEvents(snapshot: nil)  // the source ended or the pipeline stops
            counters.update { $0.finished = true }
        }
        var current: LoadedModel
        var post: PostProcessor
        var generation = 0
        do {
            guard let first = takePendingModel() else { return }
            current = try LoadedModel(first, memoryBudget: configuration.memoryBudgetBytes)
        } catch {
            fail("\(error)")
            slot.close()
            return
        }
        post = PostProcessor(labels: current.package.labels, settings: control.settings.postProcess)
        publish(current, generation: generation)
        threads.enter()
        let capture = Thread { [self] in
            captureLoop()
            threads.leave()
        }
        capture.name = "perch-capture"
        capture.start()

        var postSettings = control.settings.postProcess
        while let frame = slot.take() {
            if let next = takePendingModel() {
                do {
                    let loaded = try LoadedModel(next, memoryBudget: configuration.memoryBudgetBytes)
                    current = loaded
                    generation += 1
                    post = PostProcessor(labels: loaded.package.labels, settings: postSettings)
                    publish(loaded, generation: generation)
                    counters.update {
                        $0.framesOnModel = 0
                        $0.maxLatencyOnModelMs = 0
                        $0.modelGeneration += 1
                        $0.swapFailure = nil
                    }
                    logger.info(
                        "Model swapped", metadata: ["model.name": "\(next.name)", "model.version": "\(next.version)"])
                } catch {
                    counters.update { $0.swapFailure = "\(error)" }
                    logger.warning("Model swap refused", metadata: ["error": "\(error)"])
                }
            }
            guard frame.generation == generation else { continue }
            let settings = control.settings
            if settings.postProcess != postSettings {
                postSettings = settings.postProcess
                post = PostProcessor(labels: current.package.labels, settings: postSettings)
            }
            infer(frame, model: current, post: &post, settings: settings)
        }
    }

    func infer(_ frame: CapturedFrame, model: LoadedModel, post: inout PostProcessor, settings: RuntimeControl.Settings)
    {
        let interpreter = model.interpreter
        interpreter.withInt8Input(0) { span in
            for i in 0..<min(span.count, frame.input.count) { span[i] = frame.input[i] }
        }
        counters.update { $0.inferenceBusySinceNs = Clocks.monotonicNanoseconds() }
        let start = ContinuousClock.now
        interpreter.invoke()
        let elapsed = ContinuousClock.now - start
        let latencyMs = Double(elapsed.nanoseconds) / 1e6
        let scale = model.outputScale
        let zeroPoint = model.outputZeroPoint
        let scores = interpreter.withInt8Output(0) { span in
            (0..<span.count).map { scale * Double(Int(span[$0]) - zeroPoint) }
        }
        let outcome = post.process(scores: scores, atNanoseconds: frame.monotonicNs)
        var inferred: Int64 = 0
        counters.update {
            $0.inferenceBusySinceNs = nil
            $0.inferred += 1
            inferred = $0.inferred
            $0.lastLatencyMs = latencyMs
            $0.totalLatencyMs += latencyMs
            $0.framesOnModel += 1
            $0.maxLatencyOnModelMs = max($0.maxLatencyOnModelMs, latencyMs)
            $0.recordLatency(milliseconds: latencyMs)
        }
        func entry(_ kind: ResultRecord.Kind, _ label: String, _ score: Double, snapshot: Data?) -> JournalEntry {
            JournalEntry(
                kind: kind, capturedAtMs: frame.wallMs, monotonicNs: frame.monotonicNs,
                modelName: model.package.name, modelVersion: model.package.version, label: label, score: score,
                latencyMs: latencyMs, throttled: settings.throttled, snapshot: snapshot)
        }
        if settings.resultEvery > 0 && inferred % Int64(settings.resultEvery) == 0 {
            journal.append(entry(.result, outcome.label, outcome.score, snapshot: nil))
            counters.update { $0.results += 1 }
        }
        // Held "appeared" events take this frame's snapshot, or go without one after a few frames (or when
        // another event comes: events stay in order).
        let held = eventsAwaitingSnapshot.withLock { $0 }
        if !held.entries.isEmpty {
            if let jpeg = frame.jpeg {
                flushHeldEvents(snapshot: Data(jpeg))
            } else if held.framesWaited + 1 >= Self.snapshotWaitFrames || !outcome.events.isEmpty {
                flushHeldEvents(snapshot: nil)
            } else {
                eventsAwaitingSnapshot.withLock { $0.framesWaited += 1 }
            }
        }
        for event in outcome.events {
            let journaled = entry(
                .event, event.name, event.score, snapshot: event.appeared ? frame.jpeg.map { Data($0) } : nil)
            if event.appeared && journaled.snapshot == nil && configuration.postProcess.snapshot {
                // The frame was raw and captured before snapshots were asked for: a next one will have one.
                eventsAwaitingSnapshot.withLock { $0.entries.append(journaled) }
            } else {
                flushHeldEvents(snapshot: nil)
                journal.append(journaled)
                counters.update { $0.events += 1 }
            }
        }
        let wanted = post.mayAppearSoon || eventsAwaitingSnapshot.withLock { !$0.entries.isEmpty }
        rawSnapshotsWanted.withLock { $0 = wanted }
        logger.trace("Frame inferred", metadata: ["label": "\(outcome.label)", "latency.ms": "\(latencyMs)"])
    }

    /// Journals the held events (with `snapshot` when given) and clears them.
    func flushHeldEvents(snapshot: Data?) {
        let held = eventsAwaitingSnapshot.withLock { state in
            defer { state = ([], 0) }
            return state.entries
        }
        for var event in held {
            if let snapshot { event.snapshot = snapshot }
            journal.append(event)
            counters.update { $0.events += 1 }
        }
    }

    func takePendingModel() -> ModelPackage? {
        pendingModel.withLock { pending in
            defer { pending = nil }
            return pending
        }
    }

    func publish(_ model: LoadedModel, generation: Int) {
        inputSpec.withLock { $0 = (model.spec, model.package.recipe.options, generation) }
        counters.update {
            $0.modelName = model.package.name
            $0.modelVersion = model.package.version
        }
    }

    func fail(_ why: String) {
        logger.warning("Pipeline stopped", metadata: ["error": "\(why)"])
        counters.update { $0.failure = why }
    }

    // MARK: - Capture thread

    func captureLoop() {
        defer { slot.close() }
        var options = FrameSources.Options()
        options.pixelFormat = PixelFormat(name: configuration.camera.pixelFormat) ?? .mjpeg
        options.width = configuration.camera.width
        options.height = configuration.camera.height
        // File sources are paced here (the rate may change when hot); a camera is asked for the cool rate.
        options.framesPerSecond =
            configuration.camera.source.hasPrefix("v4l2:")
            ? Int(configuration.camera.framesPerSecond.rounded(.up)) : nil
        options.loop = configuration.camera.loop
        let source: any FrameSource
        do {
            source = try FrameSources.open(configuration.camera.source, options: options)
        } catch {
            fail("cannot open \(configuration.camera.source): \(error)")
            return
        }
        var preprocessor: Preprocessor?
        var preparedGeneration = -1
        var count = 0
        var deadline = ContinuousClock.now
        let snapshotLimit = configuration.postProcess.snapshot ? configuration.postProcess.snapshotMaxBytes : 0
        var snapshotRGB = PixelBuffer()
        while !control.settings.stopping {
            counters.update { $0.captureLoopAtNs = Clocks.monotonicNanoseconds() }
            guard let (spec, preprocessing, generation) = inputSpec.withLock({ $0 }) else { return }
            if generation != preparedGeneration || preprocessor == nil {
                preprocessor = Preprocessor(spec: spec, options: preprocessing)
                preparedGeneration = generation
            }
            guard let preprocessor else { return }
            let settings = control.settings
            do {
                let captured = try source.withNextFrame { (frame, bytes) throws(CaptureError) -> CapturedFrame? in
                    count += 1
                    guard count % max(1, settings.inferEvery) == 0 else { return nil }
                    var input = [Int8](repeating: 0, count: spec.elementCount)
                    try preprocessor.process(frame, bytes, into: &input)
                    // One copy per frame (the driver's buffer is reused); it becomes `Data` only for an event.
                    let jpeg =
                        frame.format.isJPEG || rawSnapshotsWanted.withLock({ $0 })
                        ? FrameSnapshot.jpeg(frame, bytes, maxBytes: snapshotLimit, rgb: &snapshotRGB) : nil
                    return CapturedFrame(
                        input: input, generation: generation, wallMs: Clocks.wallMilliseconds(),
                        monotonicNs: Clocks.monotonicNanoseconds(), jpeg: jpeg)
                }
                counters.update { $0.captured += 1 }
                if let captured, slot.put(captured) {
                    counters.update { $0.dropped += 1 }
                }
            } catch .endOfStream {
                counters.update { $0.sourceEnded = true }
                return
            } catch {
                counters.update { $0.captureErrors += 1 }
                logger.debug("Capture failed", metadata: ["error": "\(error)"])
                if case .invalidSource = error { return fail("\(error)") }
            }
            let rate = control.settings.effectiveFramesPerSecond
            deadline = max(deadline + .nanoseconds(Int64(1e9 / rate)), ContinuousClock.now - .seconds(1))
            let wait = deadline - ContinuousClock.now
            if wait > .zero { Thread.sleep(forTimeInterval: Double(wait.nanoseconds) / 1e9) }
        }
    }
}

extension Duration {
    /// The duration in whole nanoseconds.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
