import PerchCapture
import Testing

@Suite struct MJPEGStreamSplitterTests {
    @Test func splitsConcatenatedJPEGsFedInSmallChunksAndCountsGarbage() throws {
        let images = try (0..<3).map { try TestImages.patternJPEG(width: 32, height: 24, seed: $0) }
        let garbage: [UInt8] = [0x00, 0x11, 0xFF, 0x22, 0x33]
        var stream = garbage
        for image in images { stream += image + [0xAB, 0xCD] }
        var splitter = MJPEGStreamSplitter()
        var found: [[UInt8]] = []
        var offset = 0
        while offset < stream.count {
            let end = min(offset + 7, stream.count)
            splitter.append(Array(stream[offset..<end]))
            offset = end
            while let image = splitter.nextImage({ copyBytes($0) }) { found.append(image) }
        }
        #expect(found == images)
        #expect(splitter.imagesFound == 3)
        // the 5 leading bytes and the 2 after each image
        #expect(splitter.discardedBytes == garbage.count + 2 * 3)
    }

    @Test func anEOIInsideAnAPPSegmentDoesNotEndTheImage() throws {
        let image = try TestImages.patternJPEG(width: 16, height: 16, seed: 7)
        // APP1 segment whose payload contains a fake thumbnail with its own SOI/EOI
        let payload: [UInt8] = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00, 0xFF, 0xD8, 0xFF, 0xD9, 0x01]
        let app1: [UInt8] = [0xFF, 0xE1, 0x00, UInt8(payload.count + 2)] + payload
        let withExif = [0xFF, 0xD8] + app1 + Array(image[2...])
        #expect(JPEGMarkerScanner.imageLength(in: withExif.span) == withExif.count)
        var splitter = MJPEGStreamSplitter()
        splitter.append(withExif + withExif)
        #expect(splitter.nextImage({ $0.count }) == withExif.count)
        #expect(splitter.nextImage({ $0.count }) == withExif.count)
        #expect(splitter.nextImage({ $0.count }) == nil)
        var image2 = PixelBuffer()
        try JPEGDecoder().decode(withExif.span, gray: true, into: &image2)
        #expect(image2.width == 16)
    }

    @Test func imageLengthIgnoresTrailingBufferBytes() throws {
        let image = try TestImages.patternJPEG(width: 24, height: 16, seed: 2)
        let buffer = image + [UInt8](repeating: 0, count: 4096)  // a driver's whole-buffer bytesused
        #expect(JPEGMarkerScanner.imageLength(in: buffer.span) == image.count)
        #expect(JPEGMarkerScanner.imageLength(in: Array(image.dropLast(1)).span) == nil)
        #expect(JPEGMarkerScanner.imageLength(in: [UInt8](repeating: 0, count: 16).span) == nil)
    }

    @Test func oversizedAndUnterminatedImagesAreDroppedToBoundMemory() throws {
        let small = try TestImages.uniformGrayJPEG(width: 8, height: 8, value: 9)
        let big = try TestImages.patternJPEG(width: 64, height: 64, seed: 1)
        #expect(big.count > small.count + 10)
        var splitter = MJPEGStreamSplitter(maximumImageBytes: small.count + 10)
        splitter.append(big + small)
        #expect(splitter.nextImage({ $0.count }) == small.count)
        #expect(splitter.discardedBytes == big.count)
        // an image that never ends is discarded once it passes the limit
        splitter.append([0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02] + [UInt8](repeating: 0x11, count: small.count + 20))
        #expect(splitter.nextImage({ $0.count }) == nil)
        #expect(splitter.bufferedByteCount == 0)
    }
}

/// Copies a lent span into an array.
func copyBytes(_ span: Span<UInt8>) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(span.count)
    for i in span.indices { out.append(span[i]) }
    return out
}
