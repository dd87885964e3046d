/// Turns frames (MJPEG, YUYV, GREY, RGB24) into the model's quantized input tensor.
///
/// Per frame: JPEG frames are decoded by libjpeg straight to the smallest DCT scale (n/8) that still covers the
/// model's size, in gray when the model is gray, and only the crop's rows and columns (``JPEGDecoder``'s region
/// decode; the full-size path, `decodeAtScale == false`, decodes the whole image as its reference does); YUYV and GREY are read in place (a gray model reads YUYV's Y
/// bytes directly, an RGB model converts only the cropped region); then crop/letterbox/stretch, area or bilinear
/// resize, and one lookup-table read per element writes NHWC or NCHW. All scratch buffers are reused, so steady
/// state allocates nothing in Swift (libjpeg's per-image pool is its own).
public final class Preprocessor {
    /// Preprocessing choices that are not part of the model's tensor.
    public struct Options: Sendable, Equatable {
        /// Aspect-ratio policy.
        public var crop: CropPolicy
        /// Resampling filter.
        public var filter: ResizeFilter
        /// Pixel value (before quantization) of letterbox padding.
        public var padValue: UInt8
        /// Decode JPEG at reduced DCT scale (`false` = full decode then resize; for benchmarks and comparison).
        public var decodeAtScale: Bool

        /// Creates options.
        public init(
            crop: CropPolicy = .centerCrop,
            filter: ResizeFilter = .automatic,
            padValue: UInt8 = 0,
            decodeAtScale: Bool = true
        ) {
            self.crop = crop
            self.filter = filter
            self.padValue = padValue
            self.decodeAtScale = decodeAtScale
        }
    }

    /// The model input this preprocessor produces.
    public let spec: InputSpec
    /// The options.
    public let options: Options
    /// The per-channel quantization lookup tables.
    public let table: QuantizationTable
    /// The JPEG DCT scale numerator (n/8) used for the last JPEG frame.
    public private(set) var lastJPEGScale = 8
    /// The last resized image (before quantization), in the model's size; for inspection and saving.
    public private(set) var resized = PixelBuffer()

    private let decoder = JPEGDecoder()
    private var decoded = PixelBuffer()
    private var converted = PixelBuffer()
    private var resampler = Resampler()

    /// Creates a preprocessor for `spec`.
    public init(spec: InputSpec, options: Options = Options()) {
        self.spec = spec
        self.options = options
        self.table = QuantizationTable(spec: spec)
    }

    /// Converts one frame into `output` (resized to `spec.elementCount` if needed).
    ///
    /// - Throws: ``CaptureError/jpeg(_:)`` for a corrupt or truncated JPEG (only this frame is lost),
    ///   ``CaptureError/shortFrame(expected:actual:)``, ``CaptureError/unsupportedPixelFormat(_:)``.
    public func process(_ frame: Frame, _ bytes: Span<UInt8>, into output: inout [Int8]) throws(CaptureError) {
        try prepareImage(frame, bytes)
        quantize(into: &output)
    }

    /// Converts an already decoded image (gray or RGB) into `output`.
    public func process(image: PixelBuffer, into output: inout [Int8]) {
        let layout = SourceLayout.packed(width: image.width, height: image.height, channels: image.channels)
        resize(image.storage.span, layout: layout)
        quantize(into: &output)
    }

    /// Runs decode, crop and resize only; the result is ``resized`` (model size, 1 or 3 channels).
    ///
    /// - Throws: as ``process(_:_:into:)``.
    public func prepareImage(_ frame: Frame, _ bytes: Span<UInt8>) throws(CaptureError) {
        let gray = spec.channels == 1
        switch frame.format {
        case .mjpeg, .jpeg:
            guard options.decodeAtScale else {
                do { try decoder.decode(bytes, gray: gray, into: &decoded) } catch { throw .jpeg(error) }
                lastJPEGScale = 8
                let layout = SourceLayout.packed(
                    width: decoded.width, height: decoded.height, channels: decoded.channels)
                let storage = decoded.storage  // a retain, not a copy: the span needs a local owner
                resize(storage.span, layout: layout)
                return
            }
            let header: JPEGDecoder.Header
            do { header = try decoder.readHeader(bytes) } catch { throw .jpeg(error) }
            let g = options.crop.geometry(
                sourceWidth: header.width, sourceHeight: header.height, targetWidth: spec.width,
                targetHeight: spec.height)
            // smallest decode whose crop still has at least the target's pixels on each axis
            let minW = (header.width * g.target.width + g.source.width - 1) / g.source.width
            let minH = (header.height * g.target.height + g.source.height - 1) / g.source.height
            let n = JPEGDecoder.scaleNumerator(
                width: header.width, height: header.height, minimumWidth: minW, minimumHeight: minH)
            let scaledWidth = JPEGDecoder.scaledSize(header.width, scaleNumerator: n)
            let scaledHeight = JPEGDecoder.scaledSize(header.height, scaleNumerator: n)
            let scaled = options.crop.geometry(
                sourceWidth: scaledWidth, sourceHeight: scaledHeight, targetWidth: spec.width,
                targetHeight: spec.height)
            // decode only the crop's rows and columns (plus libjpeg's alignment)
            let decodedRect: PixelRect
            do {
                decodedRect = try decoder.decode(
                    bytes, scaleNumerator: n, gray: gray, region: scaled.source, into: &decoded)
            } catch { throw .jpeg(error) }
            lastJPEGScale = n
            let layout = SourceLayout.packed(width: decoded.width, height: decoded.height, channels: decoded.channels)
            var region = scaled.source
            region.x -= decodedRect.x
            region.y -= decodedRect.y
            let storage = decoded.storage  // a retain, not a copy: the span needs a local owner
            resize(storage.span, layout: layout, fixedGeometry: (region, scaled.target))
        case .grey:
            let layout = SourceLayout(
                width: frame.width, height: frame.height, rowStride: max(frame.bytesPerLine, frame.width),
                pixelStride: 1, channels: 1)
            try checkSize(bytes, layout)
            resize(bytes, layout: layout)
        case .rgb24:
            let layout = SourceLayout(
                width: frame.width, height: frame.height, rowStride: max(frame.bytesPerLine, frame.width * 3),
                pixelStride: 3, channels: 3)
            try checkSize(bytes, layout)
            resize(bytes, layout: layout)
        case .yuyv:
            let stride = max(frame.bytesPerLine, frame.width * 2)
            let full = SourceLayout(
                width: frame.width, height: frame.height, rowStride: stride, pixelStride: 2, channels: 1)
            try checkSize(
                bytes,
                SourceLayout(
                    width: frame.width, height: frame.height, rowStride: stride, pixelStride: 2, channels: 2))
            if gray {
                resize(bytes, layout: full)  // Y bytes in place
            } else {
                let g = options.crop.geometry(
                    sourceWidth: frame.width, sourceHeight: frame.height, targetWidth: spec.width,
                    targetHeight: spec.height)
                var region = g.source
                if region.x % 2 == 1 {
                    region.x -= 1
                }
                ColorConversion.yuyvToRGB(bytes, bytesPerLine: stride, region: region, into: &converted)
                let layout = SourceLayout.packed(width: converted.width, height: converted.height, channels: 3)
                let storage = converted.storage
                resize(
                    storage.span, layout: layout,
                    fixedGeometry: (PixelRect(x: 0, y: 0, width: region.width, height: region.height), g.target))
            }
        default:
            throw .unsupportedPixelFormat(frame.format)
        }
    }

    private func checkSize(_ bytes: Span<UInt8>, _ layout: SourceLayout) throws(CaptureError) {
        guard layout.width > 0, layout.height > 0 else { throw .shortFrame(expected: 1, actual: 0) }
        if bytes.count < layout.requiredByteCount {
            throw .shortFrame(expected: layout.requiredByteCount, actual: bytes.count)
        }
    }

    private func resize(_ bytes: Span<UInt8>, layout: SourceLayout) {
        let g = options.crop.geometry(
            sourceWidth: layout.width, sourceHeight: layout.height, targetWidth: spec.width, targetHeight: spec.height)
        resize(bytes, layout: layout, fixedGeometry: g)
    }

    private func resize(
        _ bytes: Span<UInt8>, layout: SourceLayout, fixedGeometry g: (source: PixelRect, target: PixelRect)
    ) {
        resized.reshape(width: spec.width, height: spec.height, channels: layout.channels)
        if g.target.width != spec.width || g.target.height != spec.height {
            for i in 0..<resized.count { resized.storage[i] = options.padValue }
        }
        resampler.resample(
            bytes, layout: layout, region: g.source, filter: options.filter, into: &resized, targetRect: g.target)
    }

    /// Writes ``resized`` through the lookup tables in the spec's layout, adapting gray ↔ RGB.
    private func quantize(into output: inout [Int8]) {
        let count = spec.elementCount
        if output.count != count { output = [Int8](repeating: 0, count: count) }
        let pixels = spec.width * spec.height
        let c = spec.channels
        let source = resized.channels
        let nchw = spec.layout == .nchw
        for i in 0..<pixels {
            if c == 1 {
                let p =
                    source == 1
                    ? resized.storage[i]
                    : ColorConversion.luma(
                        r: resized.storage[3 * i], g: resized.storage[3 * i + 1], b: resized.storage[3 * i + 2])
                output[i] = table(p, channel: 0)
            } else {
                for ch in 0..<3 {
                    let p = source == 3 ? resized.storage[3 * i + ch] : resized.storage[i]
                    output[nchw ? ch * pixels + i : 3 * i + ch] = table(p, channel: ch)
                }
            }
        }
    }
}
