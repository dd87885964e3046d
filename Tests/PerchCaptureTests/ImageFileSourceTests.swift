import Foundation
import PerchCapture
import Testing

@Suite struct ImageFileSourceTests {
    @Test func netpbmAndBMPFixturesDecodeToExactPixels() throws {
        let f = TestPaths.fixtures
        #expect(
            try ImageFile.load(path: f + "/gray-4x4.pgm")
                == PixelBuffer(width: 4, height: 4, channels: 1, pixels: (0..<16).map { UInt8($0 * 10) }))
        let rgb: [UInt8] = [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 128, 128, 128]
        #expect(
            try ImageFile.load(path: f + "/rgb-3x2.ppm") == PixelBuffer(width: 3, height: 2, channels: 3, pixels: rgb))
        #expect(
            try ImageFile.load(path: f + "/rgb-3x2.bmp") == PixelBuffer(width: 3, height: 2, channels: 3, pixels: rgb))
        #expect(
            try ImageFile.load(path: f + "/gray-5x2.bmp")
                == PixelBuffer(width: 5, height: 2, channels: 1, pixels: [0, 50, 100, 150, 200, 255, 1, 2, 3, 4]))
    }

    @Test func directorySourcePlaysSortedImagesOnceThenEnds() throws {
        var options = FrameSources.Options()
        options.framesPerSecond = nil
        let source = try FrameSources.open("dir:" + TestPaths.fixtures, options: options)
        var seen: [(PixelFormat, Int, Int, UInt64)] = []
        while true {
            do {
                let item = try source.withNextFrame { (frame, _) throws(CaptureError) in
                    (frame.format, frame.width, frame.height, frame.sequence)
                }
                seen.append(item)
            } catch {
                #expect(error == .endOfStream)
                break
            }
        }
        // gray-4x4.pgm, gray-5x2.bmp, rgb-3x2.bmp, rgb-3x2.ppm (sorted by name; the .py is not an image)
        #expect(seen.map(\.0) == [.grey, .grey, .rgb24, .rgb24])
        #expect(seen.map(\.1) == [4, 5, 3, 3])
        #expect(seen.map(\.3) == [0, 1, 2, 3])
        #expect(source.statistics.delivered == 4)
    }

    @Test func loopingFileSourceRepeatsAndJPEGFilesComeAsMJPEGFrames() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("perch-capture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let jpeg = try TestImages.uniformGrayJPEG(width: 32, height: 16, value: 77)
        let path = dir.appendingPathComponent("one.jpg").path
        try Data(jpeg).write(to: URL(fileURLWithPath: path))
        var options = FrameSources.Options()
        options.loop = true
        options.framesPerSecond = nil
        let source = try FrameSources.open("file:" + path, options: options)
        for i in 0..<3 {
            let (format, sequence, bytes) = try source.withNextFrame { (frame, span) throws(CaptureError) in
                (frame.format, frame.sequence, copyBytes(span))
            }
            #expect(format == .mjpeg && sequence == UInt64(i) && bytes == jpeg)
        }
    }

    @Test func badSourcesAreReportedClearly() throws {
        #expect(throws: CaptureError.self) { try FrameSources.parse("rtsp://camera") }
        #expect(try FrameSources.parse("/dev/video3") == .v4l2(path: "/dev/video3"))
        #expect(try FrameSources.parse("pipe:rpicam-vid -t 0 -o -") == .pipe(command: "rpicam-vid -t 0 -o -"))
        #expect(throws: CaptureError.self) { try FrameSources.open("dir:/nonexistent-perch-dir") }
        #expect(throws: CaptureError.unsupportedImage(path: TestPaths.fixtures + "/make-fixtures.py")) {
            try ImageFile.load(path: TestPaths.fixtures + "/make-fixtures.py")
        }
    }

    @Test func frameCaptureSavesFilesTheReaderReadsBack() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("perch-save-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var options = FrameSources.Options()
        options.framesPerSecond = nil
        let saved = try FrameCapture.save(source: "dir:" + TestPaths.fixtures, options: options, frames: 10, to: dir)
        #expect(saved.count == 4)  // the directory has 4 images, played once
        #expect(saved.map { $0.path.hasSuffix(".pgm") || $0.path.hasSuffix(".ppm") } == [true, true, true, true])
        #expect(try ImageFile.load(path: saved[0].path) == ImageFile.load(path: TestPaths.fixtures + "/gray-4x4.pgm"))
        #expect(try ImageFile.load(path: saved[2].path) == ImageFile.load(path: TestPaths.fixtures + "/rgb-3x2.bmp"))
    }
}
