import ArgumentParser
import Foundation

/// `perch demo`: the whole loop on one machine — server, daemon, detections, an over-the-air update.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole loop in one process: fleet server, device daemon, detections, an over-the-air update.",
        discussion: """
            Starts perch-server on 127.0.0.1 (SQLite in --data), enrolls a perchd with it, streams the bundled
            photos (or --source) through the cat model v1, shows the results arriving on the server, then pushes
            cat v2, rolls it out and shows the daemon swapping to it without a restart. Ctrl-C stops everything.
            """)

    @Option(help: "Camera source instead of the bundled photos: v4l2:/dev/video0, pipe:COMMAND, dir:PATH, file:PATH.")
    var source: String?

    @Option(help: "Folder with cat_v1.tflite, cat_v2.tflite, their sidecars and demo-frames/ (default: models/cat).")
    var models: String?

    @Option(help: "Where the server database and the device state go (default: a new folder under /tmp).")
    var data: String?

    @Option(help: "The server's port on 127.0.0.1 (0 picks a free one).")
    var port: Int = 8080

    @Option(help: "Frames per second taken from the source.")
    var fps: Double = 2

    @Option(help: "Results from each model version to show before moving on.")
    var results: Int = 8

    @Option(help: "Seconds the scripted part may take before it is an error.")
    var timeout: Int = 180

    @Flag(help: "Stop after the update instead of running until Ctrl-C.")
    var nonInteractive = false

    @Flag(help: "Show the server's and the daemon's info logs.")
    var verbose = false

    func validate() throws {
        guard fps > 0, fps <= 100 else { throw ValidationError("--fps must be in (0, 100]") }
        guard results >= 1 else { throw ValidationError("--results must be at least 1") }
        guard timeout >= 1 else { throw ValidationError("--timeout must be at least 1 second") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be in 0...65535") }
    }

    func run() async throws {
        let modelDirectory = try DemoSetup.modelDirectory(given: models)
        guard let resolvedPort = port == 0 ? LoopbackPort.free() : port else {
            throw CLIError.badInput("no free port on 127.0.0.1")
        }
        let dataDirectory: URL
        if let data {
            dataDirectory = URL(fileURLWithPath: data)
        } else {
            dataDirectory = URL(fileURLWithPath: NSTemporaryDirectory())
                .appendingPathComponent("perch-demo-\(ProcessInfo.processInfo.processIdentifier)")
        }
        let setup = DemoSetup(
            modelDirectory: modelDirectory, source: source, dataDirectory: dataDirectory, port: resolvedPort,
            framesPerSecond: fps, resultsPerPhase: results, interactive: !nonInteractive,
            timeout: .seconds(timeout), verbose: verbose)
        // Unbuffered: each line shows the moment it happens, also through a pipe.
        let summary = try await DemoRun.run(setup) { line in
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }
        if summary == nil { print("Stopped before the update was seen.") }
    }
}
