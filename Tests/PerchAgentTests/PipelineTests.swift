import Foundation
import Logging
import PerchAgent
import PerchCapture
import PerchInference
import PerchTFLite
import PerchWire
import Testing

@Suite struct PipelineTests {
    /// Runs a pipeline over `configuration`'s finite source until it stops, and commits its journal.
    static func runToEnd(_ configuration: AgentConfiguration, model: ModelPackage? = nil) async throws
        -> (Pipeline, Journal)
    {
        let journal = try Journal(path: configuration.journalPath, limits: .init(maxBytes: 1 << 30, maxRows: 10_000))
        let pipeline = Pipeline(
            configuration: configuration, model: try model ?? ModelPackage.factory(configuration), journal: journal,
            control: RuntimeControl(configuration), logger: Logger(label: "perch.agent.test"))
        pipeline.start()
        await pipeline.waitUntilStopped()
        try journal.flush()
        return (pipeline, journal)
    }

    @Test(.enabled(if: TestPaths.catModelExists, "models/cat/cat_v1.tflite is absent"))
    func everyFrameOfADirectoryIsCapturedAndInferredOrCountedAsDropped() async throws {
        let frames = 12
        let configuration = try TestFrames.configuration(source: "dir:" + (try TestFrames.directory(count: frames)))
        let (pipeline, journal) = try await Self.runToEnd(configuration)
        let snapshot = pipeline.counters.snapshot
        #expect(snapshot.failure == nil)
        #expect(snapshot.sourceEnded)
        #expect(snapshot.captured == Int64(frames))
        #expect(snapshot.inferred + snapshot.dropped == Int64(frames))
        #expect(snapshot.inferred >= 1)
        let records = try journal.unacknowledged(limit: 1000).filter { $0.kind == ResultRecord.Kind.result }
        #expect(records.count == Int(snapshot.inferred))
        #expect(records.map { $0.seq } == Array(1...Int64(records.count)))
        for record in records {
            #expect(record.modelName == "cat" && record.modelVersion == "v1")
            #expect(["cat", "non_cat"].contains(record.label))
            #expect(record.score >= 0.5 && record.score <= 1)
            #expect(record.latencyMs > 0)
            #expect(record.throttled == false)
        }
        let monotonic: [Int64] = records.compactMap { $0.monotonicNs }
        #expect(monotonic == monotonic.sorted())
    }

    @Test(.enabled(if: TestPaths.catModelExists, "models/cat/cat_v1.tflite is absent"))
    func theJournaledScoreIsTheInterpretersDequantizedOutput() async throws {
        let directory = try TestFrames.directory(count: 1)
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: directory).first)
        let configuration = try TestFrames.configuration(source: "file:\(directory)/\(file)")
        let package = try ModelPackage.factory(configuration)
        let (_, journal) = try await Self.runToEnd(configuration, model: package)
        let record = try #require(try journal.unacknowledged(limit: 10).first)

        // The same frame through the core directly, as `perch infer` does.
        let interpreter = try Interpreter(model: try TFLiteModel(bytes: package.bytes))
        let input = try #require(interpreter.inputs.first)
        let spec = InputSpec(
            height: input.shape[1], width: input.shape[2], channels: input.shape[3],
            scale: Double(try #require(input.scale)), zeroPoint: Int(try #require(input.zeroPoint)),
            normalization: package.normalization)
        // The sidecar's recipe (cat_v1.json: full-size decode, center square, integer box filter, float64 table).
        #expect(package.recipe.options.filter == .box)
        #expect(package.recipe.options.decodeAtScale == false)
        var values = [Int8](repeating: 0, count: spec.elementCount)
        try Preprocessor(spec: package.recipe.applied(to: spec), options: package.recipe.options)
            .process(file: "\(directory)/\(file)", into: &values)
        try interpreter.setInput(0, TensorData.int8(values))
        interpreter.invoke()
        guard case .int8(let output) = interpreter.output(0) else {
            Issue.record("output is not int8")
            return
        }
        let info = interpreter.outputs[0]
        let scale = Double(try #require(info.scale))
        let zeroPoint = Int(try #require(info.zeroPoint))
        let scores: [Double] = output.map { scale * Double(Int($0) - zeroPoint) }
        let best = try #require(scores.indices.max { scores[$0] < scores[$1] })
        #expect(record.label == package.labels[best])
        #expect(record.score == scores[best])
    }

    @Test(.enabled(if: TestPaths.catModelExists, "models/cat/cat_v1.tflite is absent"))
    func anEventOnRawFramesCarriesAJPEGSnapshot() async throws {
        // PPM frames are raw RGB (no MJPEG to pass through): the snapshot must be encoded.
        var configuration = try TestFrames.configuration(source: "dir:" + (try TestFrames.directory(count: 40)))
        configuration.camera.framesPerSecond = 50
        // Every frame has some score for each label: an "appeared" event follows after the minimum duration.
        configuration.postProcess.eventLabels = ["cat", "non_cat"]
        configuration.postProcess.thresholdOn = 0.01
        configuration.postProcess.thresholdOff = 0
        configuration.postProcess.minimumDurationMs = 60
        configuration.postProcess.snapshotMaxBytes = 32_768
        let (pipeline, journal) = try await Self.runToEnd(configuration)
        let events = try journal.unacknowledged(limit: 1000).filter { $0.kind == ResultRecord.Kind.event }
        let appeared = events.filter { $0.label.hasSuffix(":appeared") }
        try #require(!appeared.isEmpty, "no appeared event in \(pipeline.counters.snapshot.inferred) inferences")
        for event in appeared {
            let snapshot = try #require(event.snapshot, "\(event.label) has no snapshot")
            #expect(snapshot.count <= 32_768)
            let size = try JPEGDecoder().readHeader(Array(snapshot).span)
            #expect(size.width == 96 && size.height == 72, "the snapshot is the whole 96x72 frame")
        }
    }

    @Test func hysteresisNeedsTheMinimumDurationBothWays() {
        var settings = PostProcessSettings(AgentConfiguration().postProcess)
        settings.thresholdOn = 0.7
        settings.thresholdOff = 0.4
        settings.minimumDurationMs = 100
        var post = PostProcessor(labels: ["non_cat", "cat"], settings: settings)
        let ms: Int64 = 1_000_000
        #expect(post.process(scores: [0.2, 0.8], atNanoseconds: 0).events.isEmpty)
        #expect(post.process(scores: [0.2, 0.8], atNanoseconds: 50 * ms).events.isEmpty)
        #expect(post.process(scores: [0.5, 0.5], atNanoseconds: 80 * ms).events.isEmpty)  // dipped: timer restarts
        #expect(post.process(scores: [0.2, 0.8], atNanoseconds: 90 * ms).events.isEmpty)
        let on = post.process(scores: [0.25, 0.75], atNanoseconds: 190 * ms)
        #expect(on.events == [.init(label: "cat", appeared: true, score: 0.75)])
        #expect(on.events.first?.name == "cat:appeared")
        #expect(post.isOn("cat"))
        // Between the thresholds nothing changes however long it lasts.
        #expect(post.process(scores: [0.5, 0.5], atNanoseconds: 1000 * ms).events.isEmpty)
        #expect(post.process(scores: [0.7, 0.3], atNanoseconds: 1100 * ms).events.isEmpty)
        let off = post.process(scores: [0.7, 0.3], atNanoseconds: 1200 * ms)
        #expect(off.events.map(\.name) == ["cat:left"])
        #expect(off.label == "non_cat")
    }

    @Test func classGroupsAddTheirMembersScores() {
        var settings = PostProcessSettings(AgentConfiguration().postProcess)
        settings.groups = ["cat": ["tabby", "tiger cat", "Egyptian cat"]]
        settings.minimumDurationMs = 0
        settings.thresholdOn = 0.6
        var post = PostProcessor(labels: ["tabby", "dog", "tiger cat", "Egyptian cat"], settings: settings)
        let outcome = post.process(scores: [0.3, 0.35, 0.25, 0.1], atNanoseconds: 0)
        #expect(outcome.label == "cat")
        #expect(abs(outcome.score - 0.65) < 1e-12)
        #expect(outcome.events.map(\.name) == ["cat:appeared"])
    }
}
