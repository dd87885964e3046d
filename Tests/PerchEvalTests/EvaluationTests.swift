import Foundation
import PerchCapture
import Testing

@testable import perch

/// `perch eval`'s library side: dataset layouts, decision rule, metrics, and an end-to-end run on the cat
/// eval-samples photos whose TFLM outputs are recorded in `models/cat/eval-samples/manifest.json`.
@Suite struct EvaluationTests {
    static let repoRoot: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // Tests/PerchEvalTests/EvaluationTests.swift
        return parts.joined(separator: "/")
    }()
    static let catModel = repoRoot + "/models/cat/cat_v1.tflite"
    static let manifest = repoRoot + "/models/cat/eval-samples/manifest.json"
    static let photos = repoRoot + "/../shared/datasets/cats-dogs-photos-128.tar"
    static let hasPhotos = FileManager.default.fileExists(atPath: photos)

    /// One eval sample: photo path in the tar, label, recorded TFLM output of v1.
    struct RecordedSample {
        var name: String
        var file: String
        var label: String
        var output: [Int8]
    }

    static func recordedSamples() throws -> [RecordedSample] {
        let data = try Data(contentsOf: URL(fileURLWithPath: manifest))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let samples = try #require(root["samples"] as? [[String: Any]])
        return try samples.map { s in
            let models = try #require(s["models"] as? [String: Any])
            let v1 = try #require(models["v1"] as? [String: Any])
            let output = try #require(v1["tflm_output"] as? [Int])
            return RecordedSample(
                name: try #require(s["name"] as? String), file: try #require(s["file"] as? String),
                label: try #require(s["label"] as? String), output: output.map { Int8($0) })
        }
    }

    /// Writes the eval-samples photos into `directory` as `<label>/<name>.jpg` (extracted from the shared tar).
    static func makeFolderDataset(_ samples: [RecordedSample], in directory: URL) throws {
        let archive = try PhotoArchive(path: photos)
        for s in samples {
            let folder = directory.appendingPathComponent(s.label)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(try archive.contents(of: s.file)).write(to: folder.appendingPathComponent(s.name + ".jpg"))
        }
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("perch-eval-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    // MARK: - End to end

    /// Runs the eval logic on a folder dataset of the 8 eval-samples photos: every raw output equals TFLM's
    /// recorded one, and the confusion matrix is the one the sidecar's rule (`output[1] >= -20`) gives on them.
    @Test(.enabled(if: hasPhotos, "needs ../shared/datasets (absent)"))
    func evalSamplesGiveTheRecordedConfusionMatrix() throws {
        let samples = try Self.recordedSamples()
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.makeFolderDataset(samples, in: directory)

        let evaluator = try ModelEvaluator(modelPath: Self.catModel)
        #expect(evaluator.labels == ["non_cat", "cat"])
        #expect(evaluator.rule == .threshold(positive: 1, threshold: -20))
        #expect(evaluator.preprocessor.options.filter == .box)
        let dataset = try LabelledDataset.load(directory: directory.path, labels: evaluator.labels)
        #expect(dataset.samples.count == samples.count)

        var expected = ConfusionMatrix(classCount: 2)
        for s in samples {
            let truth = try #require(evaluator.labels.firstIndex(of: s.label))
            expected.add(truth: truth, predicted: s.output[1] >= -20 ? 1 : 0)
            let path = directory.appendingPathComponent(s.label).appendingPathComponent(s.name + ".jpg").path
            #expect(try evaluator.scores(file: path) == s.output, "\(s.name)")
        }
        var reported: [Int] = []
        let matrix = try evaluator.evaluate(dataset) { reported.append($0) }
        #expect(matrix == expected)
        #expect(matrix.counts == [[2, 3], [1, 2]])  // dogs 4001, 4712 right; cat 4001 missed
        #expect(reported == Array(1...samples.count))
    }

    /// A `labels.csv` dataset gives the same matrix as the folder layout.
    @Test(.enabled(if: hasPhotos, "needs ../shared/datasets (absent)"))
    func labelsCSVMatchesFolderLayout() throws {
        let samples = try Self.recordedSamples()
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.makeFolderDataset(samples, in: directory.appendingPathComponent("images"))
        let csv =
            "file,label\n" + samples.map { "images/\($0.label)/\($0.name).jpg,\($0.label)" }.joined(separator: "\n")
        try Data(csv.utf8).write(to: directory.appendingPathComponent("labels.csv"))

        let evaluator = try ModelEvaluator(modelPath: Self.catModel)
        let fromCSV = try LabelledDataset.load(directory: directory.path, labels: evaluator.labels)
        let fromFolders = try LabelledDataset.load(
            directory: directory.appendingPathComponent("images").path, labels: evaluator.labels)
        #expect(fromCSV.samples == fromFolders.samples)
        #expect(try evaluator.evaluate(fromCSV).counts == [[2, 3], [1, 2]])
    }

    // MARK: - Dataset, rule and metrics

    /// Unknown class folders are rejected, and `--limit` takes classes in turn.
    @Test func datasetRejectsUnknownLabelsAndLimitsInTurn() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for (label, count) in [("cat", 3), ("non_cat", 2)] {
            let folder = directory.appendingPathComponent(label)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for i in 0..<count { try Data([0xFF, 0xD8]).write(to: folder.appendingPathComponent("\(i).jpg")) }
            try Data("x".utf8).write(to: folder.appendingPathComponent("notes.txt"))  // not an image: ignored
        }
        let dataset = try LabelledDataset.load(directory: directory.path, labels: ["non_cat", "cat"])
        #expect(dataset.samples.map(\.label) == [0, 0, 1, 1, 1])
        #expect(dataset.limited(to: 4).samples.map(\.label) == [0, 1, 0, 1])
        #expect(dataset.limited(to: 5).samples.map(\.label) == [0, 1, 0, 1, 1])
        #expect(throws: CLIError.self) { try LabelledDataset.load(directory: directory.path, labels: ["cat", "dog"]) }
    }

    /// Threshold on the positive class, else argmax of the rest; argmax takes the first maximum.
    @Test func decisionRules() {
        let rule = DecisionRule.threshold(positive: 1, threshold: -20)
        #expect(rule.decide([19, -19]) == 1)
        #expect(rule.decide([20, -20]) == 1)
        #expect(rule.decide([21, -21]) == 0)
        #expect(DecisionRule.argmax.decide([3, 7, 7]) == 1)
        #expect(DecisionRule.threshold(positive: 0, threshold: 100).decide([50, 1, 9]) == 2)
    }

    /// metrics.json's int8 v1 matrix gives its recorded (4-decimal) accuracy, precision, recall and F1 for `cat`.
    @Test func metricsMatchModelCardFormulas() {
        var m = ConfusionMatrix(classCount: 2)
        for (truth, row) in [[713, 287], [279, 721]].enumerated() {
            for (predicted, count) in row.enumerated() {
                for _ in 0..<count { m.add(truth: truth, predicted: predicted) }
            }
        }
        func r4(_ x: Double) -> Double { (x * 10_000).rounded() / 10_000 }
        #expect(m.total == 2000)
        #expect(r4(m.accuracy) == 0.717)
        #expect(r4(m.balancedAccuracy) == 0.717)
        #expect(r4(m.precision(1)) == 0.7153)
        #expect(r4(m.recall(1)) == 0.721)
        #expect(r4(m.f1(1)) == 0.7181)
        #expect(m.precision(0) == 713.0 / 992.0)
        var empty = ConfusionMatrix(classCount: 2)
        empty.add(truth: 0, predicted: 0)
        #expect(empty.precision(1) == 0 && empty.recall(1) == 0 && empty.f1(1) == 0 && empty.balancedAccuracy == 1)
    }
}

/// Reads single files out of an uncompressed ustar archive (the shared photo tar) without extracting it.
struct PhotoArchive {
    private var entries: [String: (offset: UInt64, size: Int)] = [:]
    private let handle: FileHandle

    init(path: String) throws {
        handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        var offset: UInt64 = 0
        while true {
            try handle.seek(toOffset: offset)
            guard let block = try handle.read(upToCount: 512), block.count == 512, block.contains(where: { $0 != 0 })
            else { break }
            let bytes = [UInt8](block)
            func text(_ range: Range<Int>) -> String {
                String(decoding: bytes[range].prefix { $0 != 0 }, as: UTF8.self)
            }
            let size = Int(text(124..<136).trimmingCharacters(in: .whitespaces), radix: 8) ?? 0
            let prefix = text(345..<500)
            let name = prefix.isEmpty ? text(0..<100) : prefix + "/" + text(0..<100)
            if bytes[156] == UInt8(ascii: "0") || bytes[156] == 0 { entries[name] = (offset + 512, size) }
            offset += 512 + UInt64((size + 511) / 512 * 512)
        }
    }

    /// The bytes of the member at `name` (e.g. `cat/cat.4001.jpg`).
    func contents(of name: String) throws -> [UInt8] {
        let entry = try #require(entries[name], "\(name) is not in the archive")
        try handle.seek(toOffset: entry.offset)
        let data = try handle.read(upToCount: entry.size)
        return [UInt8](try #require(data))
    }
}
