import PerchCapture
import SystemPackage
import Testing

enum TestDevice {
    static var video0Exists: Bool {
        (try? V4L2Device(path: "/dev/video0").queryCapability()) != nil
    }
}

extension Tag {
    @Tag static var hardware: Self
}

@Suite struct V4L2DeviceTests {
    @Test func nonVideoNodeIsInappropriateIOCTL() {
        #expect(throws: Errno.inappropriateIOCTLForDevice) { _ = try V4L2Device(path: "/dev/null").queryCapability() }
        #expect(throws: Errno.noSuchFileOrDirectory) { _ = try V4L2Device(path: "/dev/perch-no-such-video") }
    }

    @Test func v4l2SourceWrapsErrnoWithContext() {
        #expect(
            throws: CaptureError.device(
                path: "/dev/perch-no-such-video", operation: "open", errno: .noSuchFileOrDirectory)
        ) {
            _ = try V4L2Source(.init(path: "/dev/perch-no-such-video"))
        }
    }

    @Test func doctorReportsNoCameraOnAnEmptyDevDirectory() throws {
        let report = CameraDoctor.run(devDirectory: TestPaths.fixtures)
        #expect(report.devices.isEmpty)
        #expect(report.problems == ["no camera found (no /dev/video* nodes)"])
        #expect(report.text.contains("No /dev/video* devices found."))
        #expect(CameraDoctor.json(report).contains("\"problems\""))
    }

    @Test func doctorCaptureCheckOnAFileSourceFlagsFrozenFrames() {
        var options = FrameSources.Options()
        options.loop = true
        options.framesPerSecond = nil
        let report = CameraDoctor.run(
            source: "file:" + TestPaths.fixtures + "/gray-4x4.pgm", options: options, maximumFrames: 20)
        let check = report.capture
        #expect(check?.frames ?? 0 >= 5)
        #expect(check?.settled == true && check?.frozen == true)
        #expect(report.problems.contains { $0.contains("frozen") })
    }

    @Test(.enabled(if: TestDevice.video0Exists), .tags(.hardware))
    func realCameraDeliversFrames() throws {
        let source = try V4L2Source(.init(path: "/dev/video0", pixelFormat: .yuyv))
        let size = try source.withNextFrame { (_, bytes) throws(CaptureError) in bytes.count }
        #expect(size > 0)
    }
}

@Suite struct BackoffTests {
    @Test func doublesFromInitialUpToMaximumAndResets() {
        var backoff = Backoff(initial: .milliseconds(250), maximum: .seconds(2))
        #expect(backoff.current == .zero)
        var delays: [Duration] = []
        for _ in 0..<6 {
            backoff.recordFailure()
            delays.append(backoff.current)
        }
        #expect(delays == [.milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(2), .seconds(2)])
        backoff.reset()
        #expect(backoff.current == .zero)
    }
}
