/// Fixed-point color conversions (BT.601).
public enum ColorConversion {
    /// Full-range luma, as JFIF/libjpeg: Y = (77 R + 150 G + 29 B + 128) >> 8.
    @inline(__always)
    public static func luma(r: UInt8, g: UInt8, b: UInt8) -> UInt8 {
        UInt8((77 &* Int(r) &+ 150 &* Int(g) &+ 29 &* Int(b) &+ 128) >> 8)
    }

    /// Limited-range BT.601 YUV → RGB, as V4L2 webcams deliver YUYV:
    /// R = (298 (Y−16) + 409 (V−128) + 128) >> 8, G = (298 (Y−16) − 100 (U−128) − 208 (V−128) + 128) >> 8,
    /// B = (298 (Y−16) + 516 (U−128) + 128) >> 8, each clamped to 0...255.
    @inline(__always)
    public static func rgb(y: UInt8, u: UInt8, v: UInt8) -> (UInt8, UInt8, UInt8) {
        let c = 298 &* (Int(y) &- 16)
        let d = Int(u) &- 128
        let e = Int(v) &- 128
        return (
            clamp((c &+ 409 &* e &+ 128) >> 8),
            clamp((c &- 100 &* d &- 208 &* e &+ 128) >> 8),
            clamp((c &+ 516 &* d &+ 128) >> 8)
        )
    }

    @inline(__always)
    static func clamp(_ v: Int) -> UInt8 { UInt8(max(0, min(255, v))) }

    /// Converts the `region` of a YUYV frame to packed RGB in `output` (only the region: no full-frame copy).
    ///
    /// - Precondition: `region.x` is even (U and V are shared by pixel pairs) and inside the frame.
    public static func yuyvToRGB(
        _ bytes: Span<UInt8>,
        bytesPerLine: Int,
        region: PixelRect,
        into output: inout PixelBuffer
    ) {
        precondition(region.x % 2 == 0, "a YUYV crop must start on an even column")
        output.reshape(width: region.width, height: region.height, channels: 3)
        var o = 0
        for y in region.y..<(region.y + region.height) {
            let row = y * bytesPerLine
            for x in region.x..<(region.x + region.width) {
                let pair = row + (x & ~1) * 2
                let luma = bytes[pair + (x & 1) * 2]
                let (r, g, b) = rgb(y: luma, u: bytes[pair + 1], v: bytes[pair + 3])
                output.storage[o] = r
                output.storage[o + 1] = g
                output.storage[o + 2] = b
                o += 3
            }
        }
    }
}
