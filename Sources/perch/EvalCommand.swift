import ArgumentParser
import Foundation
import PerchCapture
import PerchInference

/// `perch eval MODEL --dataset DIR`: accuracy, balanced accuracy, per-class precision/recall/F1 and the confusion
/// matrix of a classifier over a labelled folder of images.
struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a classifier on a labelled image folder.",
        discussion: """
            DIR holds one sub-folder per class (folder name = label) or a labels.csv of `file,label` rows \
            (paths relative to DIR). Every image goes through the preprocessing the model's sidecar \
            (MODEL.json) names, through the capture pipeline's Preprocessor and the Interpreter the daemon \
            runs, then the sidecar's decision rule: `output[positive] >= decision_threshold_int8` when it \
            gives one, else argmax.
            """
    )

    @Argument(help: "The .tflite model (its sidecar MODEL.json gives labels, preprocessing and decision rule).")
    var model: String
    @Option(help: "Folder of class sub-folders, or with a labels.csv.") var dataset: String
    @Option(help: "Evaluate only the first N images, taken in turn from each class.") var limit: Int?
    @Flag(help: "Print JSON.") var json = false
    @Flag(help: "Use the reference kernels instead of the optimized ones.") var reference = false

    func validate() throws {
        if let limit, limit <= 0 { throw ValidationError("--limit must be positive") }
    }

    func run() throws {
        let evaluator = try ModelEvaluator(modelPath: model, kernels: reference ? .reference : .optimized)
        var samples = try LabelledDataset.load(directory: dataset, labels: evaluator.labels)
        if let limit { samples = samples.limited(to: limit) }
        let progress = ProgressBar(total: samples.samples.count)
        let result = try evaluator.evaluate(samples) { done in progress.update(done) }
        progress.finish()
        let report = EvaluationReport(model: model, dataset: dataset, evaluator: evaluator, matrix: result)
        if json {
            printJSON(report)
        } else {
            report.printHuman()
        }
    }
}

// MARK: - Dataset

/// Images with their true class indices (into the model's labels).
struct LabelledDataset {
    /// One image and its true class.
    struct Sample: Equatable {
        var path: String
        var label: Int
    }

    /// The model's labels (class index → name).
    var labels: [String]
    /// The images, grouped by class in label order, sorted by path within a class.
    var samples: [Sample]

    /// Reads `directory`: its `labels.csv` (`file,label` rows, an optional header) when present, else one
    /// sub-folder per class holding image files (JPEG, PPM/PGM, BMP; symlinks followed).
    ///
    /// - Throws: ``CLIError/badInput(_:)`` for a label the model does not have, a malformed row or no images.
    static func load(directory: String, labels: [String]) throws -> LabelledDataset {
        let root = URL(fileURLWithPath: directory)
        let fm = FileManager.default
        var samples: [Sample] = []
        func index(of label: String, _ context: String) throws -> Int {
            guard let i = labels.firstIndex(of: label) else {
                throw CLIError.badInput(
                    "\(context): label '\(label)' is not one of the model's labels \(labels.joined(separator: ", "))")
            }
            return i
        }
        let csv = root.appendingPathComponent("labels.csv").path
        if fm.fileExists(atPath: csv) {
            let text = String(decoding: try readFile(csv), as: UTF8.self)
            for (number, raw) in text.split(whereSeparator: \.isNewline).enumerated() {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if line.isEmpty || (number == 0 && line.lowercased() == "file,label") { continue }
                guard let comma = line.lastIndex(of: ",") else {
                    throw CLIError.badInput("\(csv):\(number + 1): expected file,label")
                }
                let file = String(line[..<comma]).trimmingCharacters(in: .whitespaces)
                let label = String(line[line.index(after: comma)...]).trimmingCharacters(in: .whitespaces)
                let path = file.hasPrefix("/") ? file : root.appendingPathComponent(file).path
                samples.append(Sample(path: path, label: try index(of: label, "\(csv):\(number + 1)")))
            }
        } else {
            let folders: [String]
            do { folders = try fm.contentsOfDirectory(atPath: directory) } catch {
                throw CLIError.cannotRead(path: directory, reason: "not a readable folder")
            }
            for folder in folders.sorted() where !folder.hasPrefix(".") {
                var isDirectory: ObjCBool = false
                let path = root.appendingPathComponent(folder).path
                guard fm.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
                let label = try index(of: folder, path)
                let files = (try? fm.contentsOfDirectory(atPath: path)) ?? []
                for file in files where !file.hasPrefix(".") && isImageFile(file) {
                    samples.append(
                        Sample(path: URL(fileURLWithPath: path).appendingPathComponent(file).path, label: label))
                }
            }
        }
        guard !samples.isEmpty else { throw CLIError.badInput("\(directory): no labelled images found") }
        samples.sort { ($0.label, $0.path) < ($1.label, $1.path) }
        return LabelledDataset(labels: labels, samples: samples)
    }

    /// The first `count` samples taken in turn from each class (so a short run still sees every class).
    func limited(to count: Int) -> LabelledDataset {
        var queues = labels.indices.map { label in samples.filter { $0.label == label }[...] }
        var picked: [Sample] = []
        while picked.count < count, queues.contains(where: { !$0.isEmpty }) {
            for i in queues.indices where picked.count < count {
                if let next = queues[i].popFirst() { picked.append(next) }
            }
        }
        return LabelledDataset(labels: labels, samples: picked)
    }
}

// MARK: - Decision rule

/// How an int8 output vector becomes a class.
enum DecisionRule: Equatable, CustomStringConvertible {
    /// The first index of the largest output (numpy's `argmax`).
    case argmax
    /// `positive` iff `output[positive] >= threshold`; otherwise the argmax of the other classes.
    case threshold(positive: Int, threshold: Int8)

    /// The class `output` decides.
    func decide(_ output: [Int8]) -> Int {
        switch self {
        case .argmax:
            return Self.argmax(output, skipping: nil)
        case .threshold(let positive, let threshold):
            return output[positive] >= threshold ? positive : Self.argmax(output, skipping: positive)
        }
    }

    private static func argmax(_ output: [Int8], skipping: Int?) -> Int {
        var best = -1
        for i in output.indices where i != skipping && (best < 0 || output[i] > output[best]) { best = i }
        return best
    }

    /// Human text, e.g. `output[1] >= -20`.
    var description: String {
        switch self {
        case .argmax: return "argmax"
        case .threshold(let positive, let threshold): return "output[\(positive)] >= \(threshold)"
        }
    }
}

// MARK: - Evaluation

/// A model, its sidecar-chosen preprocessing and decision rule: classifies image files one by one.
final class ModelEvaluator {
    /// Class names, from the sidecar.
    let labels: [String]
    /// The sidecar's positive class, if any.
    let positiveIndex: Int?
    /// The decision rule.
    let rule: DecisionRule
    /// The preprocessor (the capture pipeline's, configured by the sidecar).
    let preprocessor: Preprocessor
    private let interpreter: Interpreter
    private var input: [Int8] = []
    private var output: [Int8] = []

    /// Loads the model and its sidecar.
    ///
    /// - Throws: ``CLIError`` when the model does not load, has no sidecar, labels or int8 image input/output,
    ///   or its sidecar names a preprocessing step Perch does not implement.
    init(modelPath: String, kernels: InterpreterOptions.Kernels = .optimized) throws {
        interpreter = try loadInterpreter(modelPath, options: InterpreterOptions(kernels: kernels))
        guard let sidecar = try ModelSidecar.load(forModel: modelPath) else {
            throw CLIError.badInput("\(modelPath): eval needs the model's sidecar (MODEL.json) for its preprocessing")
        }
        guard let labels = sidecar.labels, !labels.isEmpty else {
            throw CLIError.badInput("\(modelPath): the sidecar gives no labels")
        }
        guard interpreter.inputs.count == 1, let out = interpreter.outputs.first, out.elementType == .int8,
            out.elementCount == labels.count
        else {
            throw CLIError.badInput(
                "\(modelPath): eval needs one image input and an int8 output of \(labels.count) classes")
        }
        let (spec, options) = try sidecar.preprocessing(for: interpreter.inputs[0], path: modelPath)
        self.labels = labels
        positiveIndex = sidecar.resolvedPositiveIndex
        if let threshold = sidecar.decisionThresholdInt8 {
            guard let positive = positiveIndex, labels.indices.contains(positive), let t = Int8(exactly: threshold)
            else {
                throw CLIError.badInput(
                    "\(modelPath): decision_threshold_int8 needs a valid positive class and int8 value")
            }
            rule = .threshold(positive: positive, threshold: t)
        } else {
            rule = .argmax
        }
        preprocessor = Preprocessor(spec: spec, options: options)
    }

    /// Preprocesses and runs one image; returns the raw int8 output.
    ///
    /// - Throws: ``CLIError/badInput(_:)`` when the image cannot be read or decoded.
    func scores(file path: String) throws -> [Int8] {
        do { try preprocessor.process(file: path, into: &input) } catch {
            throw CLIError.badInput("\(path): \(error)")
        }
        interpreter.withInt8Input(0) { span in
            for i in input.indices { span[i] = input[i] }
        }
        interpreter.invoke()
        interpreter.withInt8Output(0) { span in
            if output.count != span.count { output = [Int8](repeating: 0, count: span.count) }
            for i in 0..<span.count { output[i] = span[i] }
        }
        return output
    }

    /// Classifies every sample and counts (true, predicted) pairs.
    ///
    /// - Parameter progress: called after each image with the number done.
    /// - Throws: as ``scores(file:)``; the first unreadable image stops the run.
    func evaluate(_ dataset: LabelledDataset, progress: (Int) -> Void = { _ in }) throws -> ConfusionMatrix {
        var matrix = ConfusionMatrix(classCount: labels.count)
        for (done, sample) in dataset.samples.enumerated() {
            matrix.add(truth: sample.label, predicted: rule.decide(try scores(file: sample.path)))
            progress(done + 1)
        }
        return matrix
    }
}

// MARK: - Metrics

/// Counts of (true class, predicted class) and the metrics derived from them.
struct ConfusionMatrix: Equatable {
    /// `counts[truth][predicted]`.
    private(set) var counts: [[Int]]

    /// An all-zero matrix.
    init(classCount: Int) {
        counts = Array(repeating: Array(repeating: 0, count: classCount), count: classCount)
    }

    /// Counts one decision.
    mutating func add(truth: Int, predicted: Int) { counts[truth][predicted] += 1 }

    /// Number of samples.
    var total: Int { counts.joined().reduce(0, +) }
    /// Samples of class `i` (row sum).
    func support(_ i: Int) -> Int { counts[i].reduce(0, +) }
    /// Samples predicted as `i` (column sum).
    func predictedCount(_ i: Int) -> Int { counts.reduce(0) { $0 + $1[i] } }

    /// Correct / total.
    var accuracy: Double { ratio(counts.indices.reduce(0) { $0 + counts[$1][$1] }, total) }
    /// Mean recall over the classes present in the data.
    var balancedAccuracy: Double {
        let present = counts.indices.filter { support($0) > 0 }
        return present.isEmpty ? 0 : present.map(recall).reduce(0, +) / Double(present.count)
    }
    /// Of the samples predicted `i`, the share that are `i` (0 when none is predicted `i`).
    func precision(_ i: Int) -> Double { ratio(counts[i][i], predictedCount(i)) }
    /// Of the samples of class `i`, the share predicted `i` (0 when the class is absent).
    func recall(_ i: Int) -> Double { ratio(counts[i][i], support(i)) }
    /// Harmonic mean of precision and recall (0 when both are 0).
    func f1(_ i: Int) -> Double {
        let p = precision(i)
        let r = recall(i)
        return p + r == 0 ? 0 : 2 * p * r / (p + r)
    }

    private func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }
}

// MARK: - Report

/// The result of `perch eval`, printed as text or JSON.
struct EvaluationReport: Encodable {
    struct ClassMetrics: Encodable {
        var label: String
        var support: Int
        var precision: Double
        var recall: Double
        var f1: Double
    }

    struct Matrix: Encodable {
        var rows: String
        var cols: String
        var matrix: [[Int]]
    }

    var model: String
    var dataset: String
    var n: Int
    var decision: String
    var preprocessing: String
    var accuracy: Double
    var balancedAccuracy: Double
    var positiveLabel: String?
    var classes: [ClassMetrics]
    var confusionMatrix: Matrix

    enum CodingKeys: String, CodingKey {
        case model, dataset, n, decision, preprocessing, accuracy, classes
        case balancedAccuracy = "balanced_accuracy"
        case positiveLabel = "positive_label"
        case confusionMatrix = "confusion_matrix"
    }

    init(model: String, dataset: String, evaluator: ModelEvaluator, matrix: ConfusionMatrix) {
        let labels = evaluator.labels
        let options = evaluator.preprocessor.options
        let spec = evaluator.preprocessor.spec
        self.model = model
        self.dataset = dataset
        n = matrix.total
        decision = evaluator.rule.description
        preprocessing =
            "\(options.decodeAtScale ? "DCT-scaled" : "full-size") decode, \(options.crop.rawValue), "
            + "\(options.filter.rawValue) filter to \(spec.width)x\(spec.height), table \(spec.normalization) "
            + "\(spec.rounding == .toNearestOrAwayFromZero ? "half-away" : "half-even")"
            + "\(spec.snapsNearTies ? " (near-ties snapped)" : " (literal float64)")"
        accuracy = matrix.accuracy
        balancedAccuracy = matrix.balancedAccuracy
        positiveLabel = evaluator.positiveIndex.map { labels[$0] }
        classes = labels.indices.map {
            ClassMetrics(
                label: labels[$0], support: matrix.support($0), precision: matrix.precision($0),
                recall: matrix.recall($0), f1: matrix.f1($0))
        }
        let names = "[" + labels.joined(separator: ", ") + "]"
        confusionMatrix = Matrix(rows: "true \(names)", cols: "predicted \(names)", matrix: matrix.counts)
    }

    /// Prints the report as aligned text.
    func printHuman() {
        func f(_ x: Double) -> String { String(format: "%.4f", x) }
        print("model: \(model)")
        print("dataset: \(dataset) (\(n) images)")
        print("preprocessing: \(preprocessing)")
        print("decision: \(decision)\(positiveLabel.map { " (positive: \($0))" } ?? "")")
        print("accuracy: \(f(accuracy))")
        print("balanced accuracy: \(f(balancedAccuracy))")
        let width = max(5, classes.map(\.label.count).max() ?? 0)
        func pad(_ s: String) -> String { s.padding(toLength: width, withPad: " ", startingAt: 0) }
        print("\(pad("class"))  precision  recall  f1      support")
        for c in classes {
            print("\(pad(c.label))  \(f(c.precision))     \(f(c.recall))  \(f(c.f1))  \(c.support)")
        }
        print("confusion matrix (rows: true, columns: predicted):")
        print(
            "\(pad(""))  "
                + classes.map { $0.label.padding(toLength: width, withPad: " ", startingAt: 0) }.joined(separator: " "))
        for (row, c) in zip(confusionMatrix.matrix, classes) {
            print(
                "\(pad(c.label))  "
                    + row.map { String($0).padding(toLength: width, withPad: " ", startingAt: 0) }.joined(
                        separator: " "))
        }
    }
}

/// A one-line progress bar on stderr, drawn only when stderr is a terminal.
final class ProgressBar {
    private let total: Int
    private let enabled: Bool
    private var drawn = -1

    init(total: Int) {
        self.total = total
        enabled = isatty(STDERR_FILENO) != 0 && total > 0
    }

    /// Redraws when the whole-percent value changes.
    func update(_ done: Int) {
        guard enabled else { return }
        let percent = done * 100 / total
        guard percent != drawn else { return }
        drawn = percent
        let filled = percent * 30 / 100
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 30 - filled)
        FileHandle.standardError.write(Data("\r[\(bar)] \(done)/\(total)".utf8))
    }

    /// Ends the bar's line.
    func finish() {
        if enabled && drawn >= 0 { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
