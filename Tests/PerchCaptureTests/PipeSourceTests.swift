import Foundation
import PerchCapture
import Testing

@Suite struct PipeSourceTests {
    static let hasFFmpeg = FileManager.default.isExecutableFile(atPath: "/usr/bin/ffmpeg")

    @Test(.enabled(if: hasFFmpeg, "needs ffmpeg (apt-get install ffmpeg)"))
    func ffmpegMJPEGStreamIsSplitDecodedAndRestartedAfterExit() throws {
        let command =
            "exec ffmpeg -nostdin -loglevel error -f lavfi -i testsrc=size=160x120:rate=25 -frames:v 5 -f mjpeg -q:v 4 -"
        let source = try PipeSource(command: command, timeoutMilliseconds: 20_000)
        source.backoff = Backoff(initial: .milliseconds(10), maximum: .milliseconds(20))
        let decoder = JPEGDecoder()
        var image = PixelBuffer()
        for i in 0..<5 {
            try source.withNextFrame { (frame, bytes) throws(CaptureError) in
                #expect(frame.format == .mjpeg && frame.width == 160 && frame.height == 120)
                #expect(frame.sequence == UInt64(i))
                do throws(JPEGError) { try decoder.decode(bytes, gray: false, into: &image) } catch {
                    throw .jpeg(error)
                }
            }
            #expect(image.width == 160 && image.height == 120 && image.channels == 3)
        }
        // the producer exits after 5 frames: reported once, with its status...
        #expect(throws: CaptureError.producerExited(command: command, status: 0)) {
            try source.withNextFrame { (_, _) throws(CaptureError) in }
        }
        // ...and the next call restarts it
        let width = try source.withNextFrame { (frame, _) throws(CaptureError) in frame.width }
        #expect(width == 160)
        #expect(source.statistics.reopens == 1)
        #expect(source.statistics.delivered == 6)
        source.stop()
    }

    @Test func shellProducerWithGarbageBetweenImages() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("perch-pipe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = try TestImages.patternJPEG(width: 40, height: 30, seed: 1)
        let b = try TestImages.patternJPEG(width: 40, height: 30, seed: 2)
        try Data(a).write(to: dir.appendingPathComponent("a.jpg"))
        try Data(b).write(to: dir.appendingPathComponent("b.jpg"))
        try Data("noise".utf8).write(to: dir.appendingPathComponent("n.txt"))
        let command = "cd '\(dir.path)' && cat n.txt a.jpg n.txt b.jpg a.jpg"
        let source = try PipeSource(command: command, timeoutMilliseconds: 10_000)
        var got: [[UInt8]] = []
        for _ in 0..<3 {
            got.append(try source.withNextFrame { (_, bytes) throws(CaptureError) in copyBytes(bytes) })
        }
        #expect(got == [a, b, a])
        #expect(source.statistics.discardedBytes == 10)
    }

    @Test func stalledProducerTimesOutInsteadOfHanging() throws {
        let source = try PipeSource(command: "exec sleep 30", timeoutMilliseconds: 200)
        #expect(throws: CaptureError.stalled(source: "pipe:exec sleep 30", milliseconds: 200)) {
            try source.withNextFrame { (_, _) throws(CaptureError) in }
        }
    }
}
