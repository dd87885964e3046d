import CJPEG

/// A reusable libjpeg(-turbo) decompressor with DCT-domain scaling.
///
/// libjpeg's fatal errors are caught in the C shim (its own `setjmp`), so a corrupt or truncated JPEG is a
/// thrown ``JPEGError`` for that frame only. One decoder per thread; not `Sendable`.
public final class JPEGDecoder {
    private let handle: OpaquePointer
    /// Warnings (recoverable corrupt data, e.g. "extraneous bytes before marker") in the last decode.
    public private(set) var lastWarningCount = 0

    /// Creates a decompressor (`jpeg_create_decompress`).
    public init() {
        guard let handle = cjpeg_decoder_create() else { fatalError("libjpeg: out of memory creating a decompressor") }
        self.handle = handle
    }

    deinit {
        cjpeg_decoder_destroy(handle)
    }

    /// The size of a JPEG image, from its header.
    public struct Header: Sendable, Equatable {
        /// Width in pixels.
        public var width: Int
        /// Height in pixels.
        public var height: Int
        /// Color components (1 gray, 3 YCbCr).
        public var components: Int
        /// Creates a header value.
        public init(width: Int, height: Int, components: Int) {
            self.width = width
            self.height = height
            self.components = components
        }
    }

    /// Reads the header only (`jpeg_read_header`).
    ///
    /// - Throws: ``JPEGError``.
    public func readHeader(_ data: Span<UInt8>) throws(JPEGError) -> Header {
        guard data.count >= 4 else { throw .empty }
        var raw = cjpeg_header()
        let code = data.withUnsafeBufferPointer { cjpeg_read_header(handle, $0.baseAddress, $0.count, &raw) }
        try check(code)
        return Header(width: Int(raw.width), height: Int(raw.height), components: Int(raw.components))
    }

    /// The output size libjpeg produces at `scaleNumerator`/8: `ceil(size * n / 8)` (`jdiv_round_up`).
    public static func scaledSize(_ size: Int, scaleNumerator n: Int) -> Int { (size * n + 7) / 8 }

    /// The smallest `n` in 1...8 such that decoding at `n`/8 gives at least `minimumWidth`×`minimumHeight`.
    ///
    /// - Returns: 8 (full size) when even full size is smaller than asked.
    public static func scaleNumerator(width: Int, height: Int, minimumWidth: Int, minimumHeight: Int) -> Int {
        for n in 1...8
        where scaledSize(width, scaleNumerator: n) >= minimumWidth
            && scaledSize(height, scaleNumerator: n) >= minimumHeight
        {
            return n
        }
        return 8
    }

    /// Decodes `data` at `scaleNumerator`/8 into `image` (RGB, or gray straight from the Y channel when `gray`).
    ///
    /// libjpeg scales in the DCT domain, so a 1/4 decode does a quarter of the IDCT work per axis; a gray
    /// decode skips the chroma planes. With a `region`, only the rows and columns covering it are produced
    /// (libjpeg-turbo's `jpeg_skip_scanlines` / `jpeg_crop_scanline`: no IDCT, upsampling or color conversion
    /// outside, and entropy decoding stops after the region's last row). The columns are widened by one iMCU on
    /// each side and aligned by libjpeg, so `image` may be wider than the region; the region's pixels are the
    /// same as those of a whole-image decode.
    /// - Parameters:
    ///   - data: one complete JPEG.
    ///   - scaleNumerator: 1...8 (8 = full size).
    ///   - gray: decode to one channel.
    ///   - region: the rectangle of the scaled image that is needed (`nil` = all of it); must lie inside it.
    ///   - image: reused output; grows only when a larger image arrives.
    /// - Returns: where `image` lies in the whole scaled image (origin 0, 0 and its full size without a region).
    /// - Throws: ``JPEGError``; `image` is then unspecified. Corrupt or missing data below the region's last row
    ///   is not seen.
    @discardableResult
    public func decode(
        _ data: Span<UInt8>, scaleNumerator: Int = 8, gray: Bool, region: PixelRect? = nil,
        into image: inout PixelBuffer
    ) throws(JPEGError) -> PixelRect {
        precondition((1...8).contains(scaleNumerator), "scale numerator must be in 1...8")
        guard data.count >= 4 else { throw .empty }
        var result = cjpeg_result()
        var code: Int32 = 0
        var rect = cjpeg_region()
        if let region {
            rect = cjpeg_region(
                x: Int32(region.x), y: Int32(region.y), width: Int32(region.width), height: Int32(region.height))
        }
        for _ in 0..<2 {
            code = data.withUnsafeBufferPointer { input in
                image.storage.withUnsafeMutableBufferPointer { output in
                    withUnsafePointer(to: rect) { rectPointer in
                        cjpeg_decode(
                            handle, input.baseAddress, input.count, Int32(scaleNumerator), gray ? 1 : 0,
                            region == nil ? nil : rectPointer, output.baseAddress, output.count, &result)
                    }
                }
            }
            guard code == Int32(CJPEG_ERR_CAPACITY) else { break }
            image.reserveStorage(Int(result.width) * Int(result.height) * Int(result.components))
        }
        lastWarningCount = Int(result.warnings)
        if code == Int32(CJPEG_ERR_ARGUMENT) && region != nil { preconditionFailure("region outside the image") }
        try check(code)
        image.reshape(width: Int(result.width), height: Int(result.height), channels: Int(result.components))
        return PixelRect(x: Int(result.x), y: Int(result.y), width: Int(result.width), height: Int(result.height))
    }

    /// Entropy-decodes all of `data` and discards the coefficients: Huffman decoding only, no IDCT, upsampling or
    /// color conversion (libjpeg-turbo's `jpeg_skip_scanlines` path). Every decode of the whole image costs at least
    /// this much, since baseline JPEG has no random access into its entropy-coded data.
    ///
    /// For benchmarks: it measures the floor under ``decode(_:scaleNumerator:gray:region:into:)``.
    /// - Throws: ``JPEGError`` (``JPEGError/truncated`` also for images wider than 8192 pixels).
    public func decodeEntropyOnly(_ data: Span<UInt8>) throws(JPEGError) {
        guard data.count >= 4 else { throw .empty }
        let code = data.withUnsafeBufferPointer { cjpeg_decode_entropy(handle, $0.baseAddress, $0.count) }
        try check(code)
    }

    private func check(_ code: Int32) throws(JPEGError) {
        switch code {
        case Int32(CJPEG_OK): return
        case Int32(CJPEG_ERR_TRUNCATED): throw .truncated
        case Int32(CJPEG_ERR_NOMEM): throw .outOfMemory
        case Int32(CJPEG_ERR_ARGUMENT): throw .empty
        default: throw .corrupt(message: String(cString: cjpeg_decoder_message(handle)))
        }
    }
}

/// libjpeg compression, for test producers, fixtures and saving frames.
public enum JPEGEncoder {
    /// Encodes a gray or RGB image as a baseline JPEG (`jpeg_mem_dest`, 4:2:0 for RGB).
    ///
    /// - Parameters:
    ///   - image: 1 or 3 channels.
    ///   - quality: 1...100.
    /// - Returns: the JPEG bytes.
    /// - Throws: ``JPEGError/corrupt(message:)`` if libjpeg fails.
    public static func encode(_ image: PixelBuffer, quality: Int = 90) throws(JPEGError) -> [UInt8] {
        var output: UnsafeMutablePointer<UInt8>? = nil
        var length: UInt = 0
        let code = image.storage.withUnsafeBufferPointer {
            cjpeg_encode(
                $0.baseAddress, Int32(image.width), Int32(image.height), Int32(image.channels), Int32(quality),
                &output, &length)
        }
        guard code == Int32(CJPEG_OK), let output else { throw .corrupt(message: "libjpeg compression failed") }
        defer { cjpeg_free(output) }
        return Array(UnsafeBufferPointer(start: output, count: Int(length)))
    }
}
