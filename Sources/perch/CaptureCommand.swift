import ArgumentParser
import Foundation
import PerchCapture

/// `perch capture SOURCE --frames N --out DIR`: saves frames from a camera, a pipe or files.
struct Capture: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Save frames from a source (v4l2:/dev/videoN, pipe:COMMAND, file:PATH, dir:PATH).",
        discussion: """
            On Raspberry Pi OS a CSI camera's /dev/video0 is a raw Bayer node without auto-exposure: \
            use pipe:rpicam-vid -t 0 --codec mjpeg -o - instead.
            """
    )

    @Argument(help: "The source, e.g. v4l2:/dev/video0.") var source: String
    @Option(help: "How many frames to save.") var frames: Int = 10
    @Option(help: "Directory for the frames (created if missing).") var out: String
    @Option(help: "Requested frame size, WxH.") var size: String = "640x480"
    @Option(help: "Requested pixel format: mjpeg, yuyv or grey.") var format: String = "mjpeg"
    @Option(help: "Requested frame rate.") var fps: Int = 30

    func validate() throws {
        guard frames > 0 else { throw ValidationError("--frames must be > 0") }
        guard parseSize(size) != nil else { throw ValidationError("--size must be WxH, e.g. 640x480") }
        guard PixelFormat(name: format) != nil else { throw ValidationError("--format must be mjpeg, yuyv or grey") }
    }

    func run() throws {
        var options = FrameSources.Options()
        let (width, height) = parseSize(size)!
        options.width = width
        options.height = height
        options.pixelFormat = PixelFormat(name: format)!
        options.framesPerSecond = fps
        let saved: [FrameCapture.SavedFrame]
        do {
            saved = try FrameCapture.save(source: source, options: options, frames: frames, to: out)
        } catch {
            throw CLIError.badInput("\(source): \(error)")
        }
        for frame in saved {
            print("\(frame.path) \(frame.format) \(frame.width)x\(frame.height) seq \(frame.sequence)")
        }
        print("saved \(saved.count) frame(s) to \(out)")
    }
}

/// Parses `640x480`.
func parseSize(_ text: String) -> (Int, Int)? {
    let parts = text.lowercased().split(separator: "x")
    guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]), width > 0, height > 0 else { return nil }
    return (width, height)
}

/// `perch camera ...`: camera diagnostics.
struct Camera: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Camera diagnostics.", subcommands: [Doctor.self])

    /// `perch camera doctor [SOURCE]`: lists devices and checks a short capture.
    struct Doctor: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List video devices and check a short capture (exposure settling, black, saturated, frozen frames).",
            discussion: "Recognises a raw Bayer CSI node and points to the pipe: source with rpicam-vid."
        )

        @Argument(help: "A source to test (default: the first capture device).") var source: String?
        @Option(help: "Frames to capture while checking.") var frames: Int = 60
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let report = CameraDoctor.run(source: source, maximumFrames: frames)
            print(json ? CameraDoctor.json(report) : report.text)
            if !report.problems.isEmpty { throw ExitCode(2) }
        }
    }
}
