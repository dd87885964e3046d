import Foundation
import PerchConformance
import PerchInference
import PerchTFLite
import Testing

/// Locates the models and golden vectors the tests run: the shared ones (`../shared/models`, not part
/// of the repository) and the project's own conformance suite (`Conformance/`, committed).
enum TestModels {
    /// `<repo>/../shared/models`, located from this file (repo root = 3 levels up).
    static let sharedDirectory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/models").standardizedFileURL

    /// The project's own conformance suite, committed next to these tests.
    static let conformanceDirectory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().appendingPathComponent("Conformance")

    /// Whether `../shared/models` is present.
    static var sharedAvailable: Bool {
        FileManager.default.fileExists(atPath: sharedDirectory.appendingPathComponent("person_detect").path)
    }

    /// Every `*.vectors.json` below `directory`, as paths relative to it, sorted.
    static func vectorFiles(in directory: URL) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory.path) else { return [] }
        return enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".vectors.json") }.sorted()
    }

    /// A vectors file and the model next to it.
    struct Suite: CustomTestStringConvertible, Sendable {
        var directory: URL
        var vectorsPath: String

        var testDescription: String { vectorsPath }

        func load() throws -> (TFLiteModel, VectorFile) {
            let vectorsURL = directory.appendingPathComponent(vectorsPath)
            let file = try VectorFile(json: [UInt8](try Data(contentsOf: vectorsURL)))
            let modelURL = vectorsURL.deletingLastPathComponent().appendingPathComponent(file.model)
            let model = try TFLiteModel(bytes: [UInt8](try Data(contentsOf: modelURL)))
            return (model, file)
        }
    }

    static var sharedSuites: [Suite] {
        vectorFiles(in: sharedDirectory).map { Suite(directory: sharedDirectory, vectorsPath: $0) }
    }

    static var ownSuites: [Suite] {
        vectorFiles(in: conformanceDirectory).map { Suite(directory: conformanceDirectory, vectorsPath: $0) }
    }

    /// Loads a shared model by its path below `../shared/models`.
    static func sharedModel(_ path: String) throws -> TFLiteModel {
        try TFLiteModel(bytes: [UInt8](try Data(contentsOf: sharedDirectory.appendingPathComponent(path))))
    }
}
