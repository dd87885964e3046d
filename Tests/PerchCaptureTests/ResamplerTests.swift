import PerchCapture
import Testing

@Suite struct ResamplerTests {
    @Test func areaAverageOfIntegerBoxesRoundsHalfUp() {
        let source: [UInt8] = (0..<16).map { UInt8($0) }
        var output = PixelBuffer()
        output.reshape(width: 2, height: 2, channels: 1)
        var resampler = Resampler()
        resampler.resample(
            source.span, layout: .packed(width: 4, height: 4, channels: 1),
            region: .init(x: 0, y: 0, width: 4, height: 4),
            filter: .area, into: &output, targetRect: .init(x: 0, y: 0, width: 2, height: 2))
        // (0+1+4+5)/4 = 2.5 -> 3, 18/4 = 4.5 -> 5, 42/4 = 10.5 -> 11, 50/4 = 12.5 -> 13
        #expect(output.pixels == [3, 5, 11, 13])
    }

    @Test func bilinearUpscaleUsesHalfPixelCenters() {
        let source: [UInt8] = [0, 100, 200, 40]
        var output = PixelBuffer()
        output.reshape(width: 4, height: 4, channels: 1)
        var resampler = Resampler()
        resampler.resample(
            source.span, layout: .packed(width: 2, height: 2, channels: 1),
            region: .init(x: 0, y: 0, width: 2, height: 2),
            filter: .bilinear, into: &output, targetRect: .init(x: 0, y: 0, width: 4, height: 4))
        // sample positions -0.25 (clamped), 0.25, 0.75, 1.25 (clamped); weights in 1/256
        #expect(Array(output.pixels[0..<4]) == [0, 25, 75, 100])
        #expect(Array(output.pixels[4..<8]) == [50, 59, 76, 85])
        #expect(Array(output.pixels[12..<16]) == [200, 160, 80, 40])
    }

    @Test func stridedSourcesReadOnlyTheirChannel() {
        // YUYV-like: Y at even offsets, chroma bytes (255) must be ignored
        let yuyv: [UInt8] = [10, 255, 20, 255, 30, 255, 40, 255]
        var output = PixelBuffer()
        output.reshape(width: 2, height: 1, channels: 1)
        var resampler = Resampler()
        resampler.resample(
            yuyv.span, layout: SourceLayout(width: 4, height: 1, rowStride: 8, pixelStride: 2, channels: 1),
            region: .init(x: 0, y: 0, width: 4, height: 1), filter: .area, into: &output,
            targetRect: .init(x: 0, y: 0, width: 2, height: 1))
        #expect(output.pixels == [15, 35])
    }

    /// Shrinking packed gray/RGB takes the one-pass path; the same pixels read through a wider pixel stride (a
    /// padding byte after each pixel) take the per-box path. Both must give the same area averages.
    @Test func shrinkingPackedAreaEqualsThePerBoxArea() {
        var seed: UInt32 = 99
        for (width, height, region, target) in [
            (160, 120, PixelRect(x: 20, y: 0, width: 120, height: 120), PixelRect(x: 0, y: 0, width: 96, height: 96)),
            (128, 120, PixelRect(x: 4, y: 0, width: 120, height: 120), PixelRect(x: 0, y: 0, width: 64, height: 64)),
            (97, 53, PixelRect(x: 3, y: 5, width: 90, height: 41), PixelRect(x: 2, y: 1, width: 7, height: 40)),
            (33, 17, PixelRect(x: 0, y: 0, width: 33, height: 17), PixelRect(x: 0, y: 0, width: 33, height: 17)),
        ] {
            for channels in [1, 3] {
                var packed = [UInt8](repeating: 0, count: width * height * channels)
                var padded = [UInt8](repeating: 0, count: width * height * (channels + 1))
                for i in 0..<(width * height) {
                    for c in 0..<channels {
                        seed = seed &* 1_664_525 &+ 1_013_904_223
                        packed[i * channels + c] = UInt8(truncatingIfNeeded: seed >> 24)
                        padded[i * (channels + 1) + c] = packed[i * channels + c]
                    }
                    padded[i * (channels + 1) + channels] = 0xEE
                }
                var fast = PixelBuffer()
                var reference = PixelBuffer()
                fast.reshape(width: target.x + target.width, height: target.y + target.height, channels: channels)
                reference.reshape(width: fast.width, height: fast.height, channels: channels)
                var resampler = Resampler()
                resampler.resample(
                    packed.span, layout: .packed(width: width, height: height, channels: channels), region: region,
                    filter: .area, into: &fast, targetRect: target)
                resampler.resample(
                    padded.span,
                    layout: SourceLayout(
                        width: width, height: height, rowStride: width * (channels + 1), pixelStride: channels + 1,
                        channels: channels),
                    region: region, filter: .area, into: &reference, targetRect: target)
                #expect(fast.pixels == reference.pixels, "\(width)x\(height) \(region) -> \(target), \(channels) ch")
            }
        }
    }

    @Test func cropGeometryForEachPolicy() {
        let center = CropPolicy.centerCrop.geometry(
            sourceWidth: 640, sourceHeight: 480, targetWidth: 96, targetHeight: 96)
        #expect(center.source == PixelRect(x: 80, y: 0, width: 480, height: 480))
        #expect(center.target == PixelRect(x: 0, y: 0, width: 96, height: 96))
        let box = CropPolicy.letterbox.geometry(sourceWidth: 640, sourceHeight: 480, targetWidth: 96, targetHeight: 96)
        #expect(box.source == PixelRect(x: 0, y: 0, width: 640, height: 480))
        #expect(box.target == PixelRect(x: 0, y: 12, width: 96, height: 72))
        let tall = CropPolicy.centerCrop.geometry(
            sourceWidth: 300, sourceHeight: 451, targetWidth: 224, targetHeight: 224)
        #expect(tall.source == PixelRect(x: 0, y: 75, width: 300, height: 300))
        let stretch = CropPolicy.stretch.geometry(
            sourceWidth: 640, sourceHeight: 480, targetWidth: 64, targetHeight: 32)
        #expect(stretch.source.width == 640 && stretch.target.height == 32)
    }

    @Test func yuyvToRGBUsesLimitedRangeBT601() {
        #expect(ColorConversion.rgb(y: 16, u: 128, v: 128) == (0, 0, 0))
        #expect(ColorConversion.rgb(y: 235, u: 128, v: 128) == (255, 255, 255))
        // (298*84 + 409*72 + 128) >> 8 = 213; (298*84 + 100*38 - 208*72 + 128) >> 8 = 54; (298*84 - 516*38 + 128) >> 8 = 21
        #expect(ColorConversion.rgb(y: 100, u: 90, v: 200) == (213, 54, 21))
        #expect(ColorConversion.luma(r: 255, g: 255, b: 255) == 255)
        #expect(ColorConversion.luma(r: 255, g: 0, b: 0) == 77)
    }
}
