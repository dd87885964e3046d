import CAllocationCounter
import Foundation
import PerchCapture
import Testing

/// "Buffers are reused": after the first frame, preprocessing a frame allocates nothing (counted with a malloc
/// interposer). libjpeg's own per-image memory pools are counted separately: they are libjpeg's, not Perch's.
@Suite(.serialized) struct SteadyStateAllocationTests {
    static let gray96 = InputSpec(
        height: 96, width: 96, channels: 1, scale: 1, zeroPoint: -128, normalization: .zeroTo255)
    static let rgb64 = InputSpec(
        height: 64, width: 64, channels: 3, scale: 1 / 127.5, zeroPoint: 0, normalization: .minusOneToOne)

    /// Runs `frame` through `preprocessor` twice to warm up, then counts allocations over three more frames.
    static func allocations(_ preprocessor: Preprocessor, _ frame: Frame, _ bytes: [UInt8]) throws -> Int {
        var output: [Int8] = []
        for _ in 0..<2 { try preprocessor.process(frame, bytes.span, into: &output) }
        var failure: CaptureError?
        perch_allocation_counter_start()
        for _ in 0..<3 {
            do throws(CaptureError) { try preprocessor.process(frame, bytes.span, into: &output) } catch {
                failure = error
            }
        }
        let count = perch_allocation_counter_stop()
        if let failure { throw failure }
        return Int(count)
    }

    @Test(arguments: [(PixelFormat.yuyv, 2), (.grey, 1)])
    func rawFramesAllocateNothingPerFrame(format: PixelFormat, bytesPerPixel: Int) throws {
        let (width, height) = (640, 480)
        let bytes = (0..<(width * height * bytesPerPixel)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let frame = Frame(
            format: format, width: width, height: height, bytesPerLine: width * bytesPerPixel, sequence: 0)
        for spec in [Self.gray96, Self.rgb64] {
            for filter in [ResizeFilter.area, .bilinear, .box] {
                let preprocessor = Preprocessor(spec: spec, options: .init(crop: .centerCrop, filter: filter))
                let count = try Self.allocations(preprocessor, frame, bytes)
                #expect(
                    count == 0, "\(format) → \(spec.channels) channel(s), \(filter): \(count) allocations in 3 frames")
            }
        }
    }

    @Test func jpegFramesAllocateOnlyLibjpegsPoolsPerFrame() throws {
        let image = PixelBuffer(
            width: 640, height: 480, channels: 3,
            pixels: (0..<(640 * 480 * 3)).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        let jpeg = try JPEGEncoder.encode(image, quality: 80)
        let frame = Frame(format: .mjpeg, width: 640, height: 480, bytesPerLine: 0, sequence: 0)
        for spec in [Self.gray96, Self.rgb64] {
            let preprocessor = Preprocessor(spec: spec)
            let count = try Self.allocations(preprocessor, frame, jpeg)
            // libjpeg allocates its decompression pools per image (jpeg_start_decompress) and frees them at
            // jpeg_abort; that is a small fixed number per frame (6 with Debian 12's libjpeg-turbo 2.1), independent
            // of Perch's buffers, which are all reused.
            #expect(count <= 3 * 8, "\(spec.channels) channel(s): \(count) allocations in 3 frames")
        }
    }
}
