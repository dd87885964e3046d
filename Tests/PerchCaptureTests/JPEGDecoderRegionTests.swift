import PerchCapture
import Testing

/// Region decoding (`jpeg_skip_scanlines` / `jpeg_crop_scanline`) produces exactly the pixels of a whole decode.
@Suite struct JPEGDecoderRegionTests {
    /// A 4:2:0 RGB JPEG with per-pixel seeded noise in all channels, so chroma upsampling at a crop's edges would
    /// show any difference from a whole decode.
    static func noisyJPEG(width: Int, height: Int) throws -> [UInt8] {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        var seed: UInt32 = 7
        for i in pixels.indices {
            seed = seed &* 1_664_525 &+ 1_013_904_223
            let x = (i / 3) % width
            let y = (i / 3) / width
            pixels[i] = UInt8(truncatingIfNeeded: (x * (i % 3 + 1) + y * 2) / 3 + Int(seed >> 27))
        }
        return try JPEGEncoder.encode(
            PixelBuffer(width: width, height: height, channels: 3, pixels: pixels), quality: 85)
    }

    /// The `region` of `whole` (a whole decode) as packed bytes.
    static func crop(_ whole: PixelBuffer, _ region: PixelRect) -> [UInt8] {
        var out: [UInt8] = []
        for y in region.y..<(region.y + region.height) {
            for x in region.x..<(region.x + region.width) {
                for c in 0..<whole.channels { out.append(whole[x, y, c]) }
            }
        }
        return out
    }

    @Test(arguments: [1, 2, 3, 4, 8])
    func regionPixelsEqualTheWholeDecode(scaleNumerator n: Int) throws {
        let jpeg = try Self.noisyJPEG(width: 320, height: 240)
        let decoder = JPEGDecoder()
        let w = JPEGDecoder.scaledSize(320, scaleNumerator: n)
        let h = JPEGDecoder.scaledSize(240, scaleNumerator: n)
        let regions = [
            PixelRect(x: (w - h) / 2, y: 0, width: h, height: h),  // the 4:3 → square center crop
            PixelRect(x: w / 8 + 1, y: h / 4, width: w / 2, height: h / 2),
            PixelRect(x: w / 2, y: h / 3, width: w / 4, height: h / 3),
            PixelRect(x: 0, y: 1, width: 3, height: h - 2),
            PixelRect(x: w - 3, y: h - 2, width: 3, height: 2),
        ]
        for gray in [true, false] {
            var whole = PixelBuffer()
            let all = try decoder.decode(jpeg.span, scaleNumerator: n, gray: gray, into: &whole)
            #expect(all == PixelRect(x: 0, y: 0, width: w, height: h))
            for region in regions {
                var part = PixelBuffer()
                let got = try decoder.decode(jpeg.span, scaleNumerator: n, gray: gray, region: region, into: &part)
                #expect(got.x <= region.x && got.x + got.width >= region.x + region.width && got.x + got.width <= w)
                #expect(got.y == region.y && got.height == region.height)
                #expect(part.width == got.width && part.height == got.height && part.channels == whole.channels)
                let inPart = PixelRect(x: region.x - got.x, y: 0, width: region.width, height: region.height)
                #expect(
                    Self.crop(part, inPart) == Self.crop(whole, region),
                    "n=\(n) gray=\(gray) region=\(region)")
            }
        }
    }

    @Test func centerCropSkipsTheColumnsOutsideIt() throws {
        // 640x480 at 1/4 is 160x120; the square crop's 120 columns start at 20, a multiple of the 4-pixel iMCU, so
        // the decoded columns are the crop plus one iMCU each side, not the whole width.
        let jpeg = try Self.noisyJPEG(width: 640, height: 480)
        var image = PixelBuffer()
        let got = try JPEGDecoder().decode(
            jpeg.span, scaleNumerator: 2, gray: false, region: PixelRect(x: 20, y: 0, width: 120, height: 120),
            into: &image)
        #expect(got == PixelRect(x: 16, y: 0, width: 128, height: 120))
    }

    @Test func regionDecodeReusesAndGrowsTheBuffer() throws {
        let jpeg = try Self.noisyJPEG(width: 320, height: 240)
        let decoder = JPEGDecoder()
        var image = PixelBuffer()
        try decoder.decode(
            jpeg.span, scaleNumerator: 1, gray: true, region: PixelRect(x: 4, y: 4, width: 8, height: 8), into: &image)
        let small = image.storage.count
        try decoder.decode(
            jpeg.span, scaleNumerator: 8, gray: false, region: PixelRect(x: 0, y: 0, width: 320, height: 240),
            into: &image)
        #expect(image.storage.count >= 320 * 240 * 3 && image.storage.count > small)
        #expect(image.width == 320 && image.height == 240 && image.channels == 3)
    }

    @Test func entropyOnlyDecodeAcceptsGoodDataAndRejectsBad() throws {
        let jpeg = try Self.noisyJPEG(width: 320, height: 240)
        let decoder = JPEGDecoder()
        try decoder.decodeEntropyOnly(jpeg.span)
        #expect(throws: JPEGError.truncated) { try decoder.decodeEntropyOnly(Array(jpeg.prefix(jpeg.count / 2)).span) }
        #expect(throws: JPEGError.self) { try decoder.decodeEntropyOnly([UInt8](repeating: 0x42, count: 64).span) }
        var image = PixelBuffer()
        try decoder.decode(jpeg.span, scaleNumerator: 2, gray: true, into: &image)  // still usable
        #expect(image.width == 80 && image.height == 60)
    }
}
