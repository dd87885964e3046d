/// A small JPEG of a camera frame, for event snapshots: MJPEG frames as they are, raw frames (YUYV, GREY, RGB)
/// encoded with libjpeg.
public enum FrameSnapshot {
    /// The frame as a JPEG of at most `maxBytes`, or `nil` when it cannot be one that small (or the format has
    /// no converter).
    ///
    /// Raw frames are encoded at quality 75, then 50 if that is too large; `rgb` is a scratch buffer reused
    /// across calls for the YUYV conversion.
    public static func jpeg(_ frame: Frame, _ bytes: Span<UInt8>, maxBytes: Int, rgb: inout PixelBuffer) -> [UInt8]? {
        guard maxBytes > 0 else { return nil }
        let image: PixelBuffer
        switch frame.format {
        case .mjpeg, .jpeg:
            guard bytes.count <= maxBytes else { return nil }
            var data = [UInt8](repeating: 0, count: bytes.count)
            for i in bytes.indices { data[i] = bytes[i] }
            return data
        case .grey:
            guard let packed = packed(bytes, frame: frame, channels: 1) else { return nil }
            image = packed
        case .rgb24:
            guard let packed = packed(bytes, frame: frame, channels: 3) else { return nil }
            image = packed
        case .yuyv:
            let stride = max(frame.bytesPerLine, frame.width * 2)
            guard bytes.count >= stride * frame.height else { return nil }
            ColorConversion.yuyvToRGB(
                bytes, bytesPerLine: stride, region: PixelRect(x: 0, y: 0, width: frame.width, height: frame.height),
                into: &rgb)
            image = rgb
        default:
            return nil
        }
        for quality in [75, 50] {
            if let encoded = try? JPEGEncoder.encode(image, quality: quality), encoded.count <= maxBytes {
                return encoded
            }
        }
        return nil
    }

    /// The frame's rows without line padding.
    private static func packed(_ bytes: Span<UInt8>, frame: Frame, channels: Int) -> PixelBuffer? {
        let row = frame.width * channels
        let stride = max(frame.bytesPerLine, row)
        guard frame.width > 0, frame.height > 0, bytes.count >= stride * (frame.height - 1) + row else { return nil }
        var pixels = [UInt8](repeating: 0, count: row * frame.height)
        for y in 0..<frame.height {
            for x in 0..<row { pixels[y * row + x] = bytes[y * stride + x] }
        }
        return PixelBuffer(width: frame.width, height: frame.height, channels: channels, pixels: pixels)
    }
}
