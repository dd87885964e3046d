import PerchCapture
import Testing

@Suite struct JPEGDecoderTests {
    @Test func uniformGrayDecodesExactlyAtEveryScale() throws {
        let jpeg = try TestImages.uniformGrayJPEG(width: 64, height: 48, value: 100)
        let decoder = JPEGDecoder()
        #expect(try decoder.readHeader(jpeg.span) == .init(width: 64, height: 48, components: 1))
        var image = PixelBuffer()
        for (n, w, h) in [(8, 64, 48), (4, 32, 24), (2, 16, 12), (1, 8, 6), (3, 24, 18)] {
            try decoder.decode(jpeg.span, scaleNumerator: n, gray: true, into: &image)
            #expect(image.width == w && image.height == h && image.channels == 1)
            #expect(image.pixels == [UInt8](repeating: 100, count: w * h))
        }
        try decoder.decode(jpeg.span, scaleNumerator: 2, gray: false, into: &image)
        #expect(image.channels == 3 && image.width == 16)
        #expect(image.pixels == [UInt8](repeating: 100, count: 16 * 12 * 3))
    }

    @Test func scaleNumeratorPicksSmallestSufficientDCTScale() {
        #expect(JPEGDecoder.scaleNumerator(width: 640, height: 480, minimumWidth: 96, minimumHeight: 96) == 2)
        #expect(JPEGDecoder.scaleNumerator(width: 640, height: 480, minimumWidth: 80, minimumHeight: 60) == 1)
        #expect(JPEGDecoder.scaleNumerator(width: 640, height: 480, minimumWidth: 224, minimumHeight: 224) == 4)
        #expect(JPEGDecoder.scaleNumerator(width: 640, height: 480, minimumWidth: 1000, minimumHeight: 10) == 8)
        #expect(JPEGDecoder.scaledSize(641, scaleNumerator: 1) == 81)
    }

    @Test func corruptAndTruncatedJPEGsThrowAndTheDecoderStaysUsable() throws {
        let good = try TestImages.patternJPEG(width: 64, height: 64, seed: 1)
        let decoder = JPEGDecoder()
        var image = PixelBuffer()

        let truncated = Array(good[0..<(good.count / 2)])
        #expect(throws: JPEGError.truncated) { try decoder.decode(truncated.span, gray: false, into: &image) }

        // Garbage before a marker is a recoverable libjpeg warning: decoded, and counted.
        var garbled = good
        for i in 2..<20 { garbled[i] = 0x5A }  // smash the APP0 segment after SOI
        try decoder.decode(garbled.span, gray: false, into: &image)
        #expect(decoder.lastWarningCount > 0)
        #expect(image.width == 64)

        // A zero height in the frame header is fatal: libjpeg's error_exit, caught in the shim.
        var corrupt = good
        let sof = try #require((0..<(corrupt.count - 1)).first { corrupt[$0] == 0xFF && corrupt[$0 + 1] == 0xC0 })
        corrupt[sof + 5] = 0
        corrupt[sof + 6] = 0
        #expect(throws: JPEGError.self) { try decoder.decode(corrupt.span, gray: false, into: &image) }
        let notJPEG: [UInt8] = Array("definitely not a jpeg".utf8)
        do {
            try decoder.decode(notJPEG.span, gray: true, into: &image)
            Issue.record("a non-JPEG decoded")
        } catch {
            guard case .corrupt(let message) = error else { Issue.record("wrong error \(error)"); return }
            #expect(message.contains("JPEG"))
        }
        #expect(throws: JPEGError.empty) { try decoder.decode([UInt8]().span, gray: true, into: &image) }

        try decoder.decode(good.span, gray: false, into: &image)
        #expect(image.width == 64 && image.height == 64 && image.channels == 3)
    }

    @Test func seededCorruptionSweepNeverCrashes() throws {
        let good = try TestImages.patternJPEG(width: 48, height: 32, seed: 3)
        let decoder = JPEGDecoder()
        var image = PixelBuffer()
        var state: UInt64 = 42
        var failures = 0
        for _ in 0..<300 {
            var bytes = good
            for _ in 0..<4 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                bytes[Int(state >> 33) % bytes.count] ^= UInt8(truncatingIfNeeded: state >> 20) | 1
            }
            state = state &* 6_364_136_223_846_793_005 &+ 1
            let cut = Int(state >> 40) % 4 == 0 ? Int(state >> 33) % bytes.count : bytes.count
            do { try decoder.decode(Array(bytes[0..<cut]).span, scaleNumerator: 4, gray: true, into: &image) } catch {
                failures += 1
            }
        }
        #expect(failures > 0)  // some of them must have been caught as errors, and none crashed
        try decoder.decode(good.span, gray: true, into: &image)
        #expect(image.width == 48)
    }

    @Test func encodedGrayRoundTripsThroughTheShim() throws {
        let pixels: [UInt8] = (0..<256).map { UInt8($0) }
        let jpeg = try JPEGEncoder.encode(PixelBuffer(width: 16, height: 16, channels: 1, pixels: pixels), quality: 100)
        #expect(jpeg.prefix(2) == [0xFF, 0xD8] && jpeg.suffix(2) == [0xFF, 0xD9])
        var image = PixelBuffer()
        try JPEGDecoder().decode(jpeg.span, gray: true, into: &image)
        let maxError = zip(image.pixels, pixels).map { abs(Int($0) - Int($1)) }.max() ?? 99
        #expect(maxError <= 2)  // quality 100 is near-lossless for gray
    }
}
