import Foundation

/// What one demo run uses: where the bundled models and frames are, where state goes, how fast frames flow.
struct DemoSetup: Sendable {
    /// The folder holding `cat_v1.tflite`, `cat_v2.tflite`, their sidecars and `demo-frames/`.
    var modelDirectory: String
    /// The camera source; `nil` streams the bundled frames (`dir:<modelDirectory>/demo-frames`, looping).
    var source: String?
    /// Server database, device state and journal live here.
    var dataDirectory: URL
    /// The server's loopback port.
    var port: Int
    /// Frames per second taken from the source.
    var framesPerSecond: Double
    /// Results from each model version that must reach the server before moving on.
    var resultsPerPhase: Int
    /// Keep running (printing detections) after the update until Ctrl-C.
    var interactive: Bool
    /// The longest the scripted part may take before it is an error.
    var timeout: Duration
    /// Show the server's and the daemon's logs (warnings only otherwise).
    var verbose: Bool

    /// The factory model the device starts with.
    var firstModel: String { modelDirectory + "/cat_v1.tflite" }
    /// The model version pushed over the air.
    var secondModel: String { modelDirectory + "/cat_v2.tflite" }
    /// The bundled frames.
    var framesDirectory: String { modelDirectory + "/demo-frames" }
    /// The source actually used.
    var resolvedSource: String { source ?? "dir:" + framesDirectory }
    /// The server's base URL.
    var serverURL: String { "http://127.0.0.1:\(port)" }

    /// Where the bundled models are: `--models` when given, else `models/cat` under the working directory,
    /// else the installed `/usr/share/perch/models/cat`.
    ///
    /// - Throws: ``CLIError/badInput(_:)`` naming the places looked at.
    static func modelDirectory(given: String?) throws -> String {
        let candidates = given.map { [$0] } ?? ["models/cat", "/usr/share/perch/models/cat"]
        for candidate in candidates
        where FileManager.default.fileExists(atPath: candidate + "/cat_v1.tflite")
            && FileManager.default.fileExists(atPath: candidate + "/cat_v2.tflite")
        {
            return candidate
        }
        throw CLIError.badInput(
            "cat_v1.tflite and cat_v2.tflite not found in \(candidates.joined(separator: " or ")): "
                + "run from the repository root or pass --models DIR")
    }
}
