import Foundation

/// Paths the agent tests use: the repository, its models, a fresh temp directory.
enum TestPaths {
    /// The repository root (two levels above this file's folder).
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `models/cat/cat_v1.tflite` in the repository.
    static let catModel = repository.appendingPathComponent("models/cat/cat_v1.tflite").path

    /// Whether the cat model is present.
    static var catModelExists: Bool { FileManager.default.fileExists(atPath: catModel) }

    /// `../shared` relative to the repository root.
    static let shared = repository.deletingLastPathComponent().appendingPathComponent("shared")

    /// Whether `../shared/models` is present.
    static var sharedModelsExist: Bool {
        FileManager.default.fileExists(atPath: shared.appendingPathComponent("models").path)
    }

    /// A new empty temporary directory.
    static func temporaryDirectory(_ prefix: String = "perchd-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
