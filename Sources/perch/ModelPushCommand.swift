import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PerchAgent
import PerchWire
import Synchronization

/// `perch model push FILE --name N --version V`: upload a `.tflite`; the server validates it, computes golden
/// vectors and signs the manifest (or stores it unsigned when it holds only the public key).
struct ModelPush: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push", abstract: "Upload a .tflite model; the server validates and signs it.")

    @OptionGroup var fleet: FleetOptions
    @Argument(help: "The .tflite file.") var file: String
    @Option(help: "Model name (lowercase letters, digits, '.', '_', '-').") var name: String
    @Option(help: "Model version, e.g. 1.2.0.") var version: String
    @Option(help: "Class labels in output order, comma-separated.") var labels: String?
    @Option(help: "File of class labels, one per line.") var labelsFile: String?
    @Option(help: "Pixel normalization mean: real = (pixel - mean) / std.") var mean: Double?
    @Option(help: "Pixel normalization std.") var std: Double?
    @Flag(help: "Ignore the sidecar (FILE.json): by default its labels, normalization and preprocessing are sent.")
    var noSidecar = false
    @Flag(help: "Print the server's JSON (SignedManifest).") var json = false

    func validate() throws {
        if labels != nil, labelsFile != nil { throw ValidationError("give --labels or --labels-file, not both") }
    }

    func run() async throws {
        let progress = UploadProgress(label: (file as NSString).lastPathComponent, enabled: isatty(STDERR_FILENO) != 0)
        let text = try await output(using: try fleet.client()) { progress.update(sent: $0, total: $1) }
        progress.finish()
        print(text)
    }

    /// The labels from `--labels` or `--labels-file`.
    ///
    /// - Throws: ``FleetError/file(path:reason:)`` if the labels file cannot be read.
    func labelList() throws -> [String]? {
        if let labels { return labels.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        guard let labelsFile else { return nil }
        guard let text = try? String(contentsOfFile: labelsFile, encoding: .utf8) else {
            throw FleetError.file(path: labelsFile, reason: "cannot read the labels file")
        }
        return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    /// Uploads the file and returns the text this command prints.
    ///
    /// - Parameter progress: Called with bytes sent so far and the total, as chunks leave.
    /// - Throws: ``FleetError``.
    func output(
        using client: AdminClient, progress: @escaping @Sendable (Int64, Int64) -> Void = { _, _ in }
    ) async throws -> String {
        let bytes: Data
        do {
            bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch {
            throw FleetError.file(path: file, reason: "cannot read the model file")
        }
        guard !bytes.isEmpty else { throw FleetError.file(path: file, reason: "the file is empty") }
        let sidecar = noSidecar ? nil : try Self.sidecarPackage(for: file)
        let normalization = sidecar.flatMap { ModelPackage.manifestNormalization($0.normalization) }
        let preprocessing = sidecar.map { ModelPackage.manifestPreprocessing($0.recipe) }
        let labels = try labelList() ?? sidecar.flatMap { $0.labels.isEmpty ? nil : $0.labels }
        let query: [(String, String?)] = [
            ("labels", labels?.joined(separator: ",")),
            ("mean", (mean ?? normalization?.mean).map { "\($0)" }),
            ("std", (std ?? normalization?.std).map { "\($0)" }),
            ("decode", preprocessing?.decode), ("crop", preprocessing?.crop), ("resize", preprocessing?.resize),
            ("quantization_table", preprocessing?.quantizationTable),
        ]
        let path = "/api/v1/models/\(AdminClient.segment(name))/\(AdminClient.segment(version))"
        let chunks = ProgressChunks(bytes: bytes, progress: progress)
        let reply = try await client.send(
            .PUT, path, query: query, body: .stream(chunks, length: .known(Int64(bytes.count))),
            contentType: "application/octet-stream", timeout: .minutes(30))
        if json { return reply.text }
        let signed = try AdminClient.decode(SignedManifest.self, from: reply, path: path)
        return "registered\n" + ManifestSummary.describe(signed)
    }
}

extension ModelPush {
    /// The model with what its sidecar (`FILE.json`) says — labels, normalization, preprocessing recipe — read
    /// exactly as the daemon reads a factory model's sidecar; `nil` without a sidecar.
    ///
    /// - Throws: ``FleetError/file(path:reason:)`` for a sidecar the daemon would refuse.
    static func sidecarPackage(for file: String) throws -> ModelPackage? {
        var configuration = AgentConfiguration()
        configuration.model.path = file
        guard FileManager.default.fileExists(atPath: configuration.sidecarPath) else { return nil }
        do {
            return try ModelPackage.factory(configuration)
        } catch {
            throw FleetError.file(path: configuration.sidecarPath, reason: error.description)
        }
    }
}

/// The bytes of an upload as 64 KiB buffers, reporting progress as each one is handed to the client.
struct ProgressChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    /// The whole body.
    let bytes: Data
    /// Called with (sent, total) after each chunk.
    let progress: @Sendable (Int64, Int64) -> Void
    /// The chunk size.
    var chunkSize = 64 * 1024

    /// Yields the chunks in order.
    struct AsyncIterator: AsyncIteratorProtocol {
        let chunks: ProgressChunks
        var offset = 0

        mutating func next() async -> ByteBuffer? {
            guard offset < chunks.bytes.count else { return nil }
            let end = Swift.min(offset + chunks.chunkSize, chunks.bytes.count)
            let buffer = ByteBuffer(bytes: chunks.bytes[offset..<end])
            offset = end
            chunks.progress(Int64(end), Int64(chunks.bytes.count))
            return buffer
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(chunks: self) }
}

/// The upload progress line on stderr: redrawn in place on a terminal, silent otherwise.
final class UploadProgress: Sendable {
    private let label: String
    private let enabled: Bool
    private let lastPercent = Mutex(-1)

    /// Creates a progress line; `enabled` is whether stderr is a terminal.
    init(label: String, enabled: Bool) {
        self.label = label
        self.enabled = enabled
    }

    /// Redraws when the whole percentage changes.
    func update(sent: Int64, total: Int64) {
        guard enabled, total > 0 else { return }
        let percent = Int(sent * 100 / total)
        let changed = lastPercent.withLock { last in
            defer { last = percent }
            return last != percent
        }
        guard changed else { return }
        let line = "\rUploading \(label): \(percent)% (\(FleetFormat.bytes(sent)) of \(FleetFormat.bytes(total)))"
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Ends the line (the server still validates the model after the last byte).
    func finish() {
        guard enabled, lastPercent.withLock({ $0 }) >= 0 else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
