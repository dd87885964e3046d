import SystemPackage

/// Reading still images: JPEG (passed through), binary PGM/PPM (P5/P6, maxval 255) and uncompressed BMP
/// (8-bit palette, 24-bit, 32-bit; bottom-up or top-down).
public enum ImageFile {
    /// Reads a whole file into `buffer` (grown when needed, reused otherwise).
    ///
    /// - Returns: the file's size.
    /// - Throws: ``CaptureError/io(path:errno:)``.
    public static func read(path: String, into buffer: inout [UInt8]) throws(CaptureError) -> Int {
        let fd: CInt
        switch valueOrErrno(retryOnInterrupt: true, { system_openReadOnly(path) }) {
        case .success(let value): fd = value
        case .failure(let errno): throw .io(path: path, errno: errno)
        }
        defer { _ = system_close(fd) }
        var count = 0
        while true {
            if buffer.count - count < 64 * 1024 {
                buffer.append(contentsOf: repeatElement(0, count: max(64 * 1024, buffer.count)))
            }
            let room = buffer.count - count
            switch valueOrErrno(retryOnInterrupt: true, { system_read(fd, into: &buffer, offset: count, count: room) })
            {
            case .success(0): return count
            case .success(let n): count += n
            case .failure(let errno): throw .io(path: path, errno: errno)
            }
        }
    }

    /// Reads an image file fully decoded to gray or RGB (JPEG through libjpeg at full size).
    ///
    /// - Throws: ``CaptureError``.
    public static func load(path: String) throws(CaptureError) -> PixelBuffer {
        var bytes: [UInt8] = []
        let count = try read(path: path, into: &bytes)
        var scratch = PixelBuffer()
        let data = bytes
        return try withFrame(data.span.extracting(0..<count), path: path, scratch: &scratch) {
            (frame, pixels) throws(CaptureError) -> PixelBuffer in
            if frame.format.isJPEG {
                var out = PixelBuffer()
                do throws(JPEGError) { try JPEGDecoder().decode(pixels, gray: false, into: &out) } catch {
                    throw .jpeg(error)
                }
                if out.channels == 1 || out.count == out.storage.count { return out }
                return PixelBuffer(width: out.width, height: out.height, channels: out.channels, pixels: out.pixels)
            }
            let channels = frame.format == .grey ? 1 : 3
            var out = [UInt8](repeating: 0, count: frame.width * frame.height * channels)
            for y in 0..<frame.height {
                for i in 0..<(frame.width * channels) {
                    out[y * frame.width * channels + i] = pixels[y * frame.bytesPerLine + i]
                }
            }
            return PixelBuffer(width: frame.width, height: frame.height, channels: channels, pixels: out)
        }
    }

    /// Lends the image in `bytes` as a frame: JPEG as-is (``PixelFormat/mjpeg``), PGM/PPM pixels in place,
    /// BMP decoded into `scratch`.
    ///
    /// - Throws: ``CaptureError/unsupportedImage(path:)`` for anything else or a malformed header.
    public static func withFrame<R>(
        _ bytes: Span<UInt8>,
        path: String,
        scratch: inout PixelBuffer,
        _ body: (Frame, Span<UInt8>) throws(CaptureError) -> R
    ) throws(CaptureError) -> R {
        guard bytes.count >= 4 else { throw .unsupportedImage(path: path) }
        if bytes[0] == 0xFF && bytes[1] == 0xD8 {
            return try body(Frame(format: .mjpeg, width: 0, height: 0, bytesPerLine: 0, sequence: 0), bytes)
        }
        if bytes[0] == UInt8(ascii: "P") && (bytes[1] == UInt8(ascii: "5") || bytes[1] == UInt8(ascii: "6")) {
            guard let header = parseNetpbm(bytes) else { throw .unsupportedImage(path: path) }
            let channels = bytes[1] == UInt8(ascii: "5") ? 1 : 3
            let size = header.width * header.height * channels
            guard header.offset + size <= bytes.count else { throw .unsupportedImage(path: path) }
            let frame = Frame(
                format: channels == 1 ? .grey : .rgb24, width: header.width, height: header.height,
                bytesPerLine: header.width * channels, sequence: 0)
            return try body(frame, bytes.extracting(header.offset..<(header.offset + size)))
        }
        if bytes[0] == UInt8(ascii: "B") && bytes[1] == UInt8(ascii: "M") {
            guard decodeBMP(bytes, into: &scratch) else { throw .unsupportedImage(path: path) }
            let frame = Frame(
                format: scratch.channels == 1 ? .grey : .rgb24, width: scratch.width, height: scratch.height,
                bytesPerLine: scratch.width * scratch.channels, sequence: 0)
            let storage = scratch.storage
            return try body(frame, storage.span.extracting(0..<scratch.count))
        }
        throw .unsupportedImage(path: path)
    }

    /// Parses a binary Netpbm header ("P5"/"P6", width, height, maxval 255, `#` comments).
    static func parseNetpbm(_ bytes: Span<UInt8>) -> (width: Int, height: Int, offset: Int)? {
        var i = 2
        var numbers: [Int] = []
        while numbers.count < 3 {
            while i < bytes.count {
                let c = bytes[i]
                if c == UInt8(ascii: "#") {
                    while i < bytes.count && bytes[i] != 0x0A { i += 1 }
                } else if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D {
                    i += 1
                } else {
                    break
                }
            }
            var value = 0
            var digits = 0
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39, digits < 9 {
                value = value * 10 + Int(bytes[i] - 0x30)
                i += 1
                digits += 1
            }
            guard digits > 0 else { return nil }
            numbers.append(value)
        }
        // exactly one whitespace byte after maxval
        guard i < bytes.count, numbers[0] > 0, numbers[1] > 0, numbers[2] == 255 else { return nil }
        return (numbers[0], numbers[1], i + 1)
    }

    /// Decodes an uncompressed BMP (BI_RGB; 8-bit palette, 24 or 32 bits) into `image`: gray when an 8-bit image has
    /// a gray palette, else RGB.
    ///
    /// - Returns: `false` for an unsupported or malformed file.
    static func decodeBMP(_ b: Span<UInt8>, into image: inout PixelBuffer) -> Bool {
        func u16(_ o: Int) -> Int { Int(b[o]) | Int(b[o + 1]) << 8 }
        func u32(_ o: Int) -> Int { u16(o) | u16(o + 2) << 16 }
        guard b.count >= 54 else { return false }
        let dataOffset = u32(10)
        let headerSize = u32(14)
        guard headerSize >= 40, b.count >= 14 + headerSize else { return false }
        let width = Int(Int32(truncatingIfNeeded: u32(18)))
        let rawHeight = Int(Int32(truncatingIfNeeded: u32(22)))
        let bits = u16(28)
        let compression = u32(30)
        guard width > 0, rawHeight != 0, width <= 1 << 15, abs(rawHeight) <= 1 << 15 else { return false }
        guard compression == 0 || (compression == 3 && bits == 32) else { return false }
        let height = abs(rawHeight)
        let bottomUp = rawHeight > 0
        let rowBytes = ((width * bits + 31) / 32) * 4
        guard bits == 8 || bits == 24 || bits == 32, dataOffset + rowBytes * height <= b.count else { return false }
        var gray = false
        var paletteStart = 14 + headerSize
        var paletteCount = 0
        if bits == 8 {
            paletteCount = u32(46) == 0 ? 256 : min(256, u32(46))
            guard paletteStart + paletteCount * 4 <= dataOffset else { return false }
            gray = (0..<paletteCount).allSatisfy { i in
                let p = paletteStart + 4 * i
                return b[p] == b[p + 1] && b[p + 1] == b[p + 2]
            }
        } else {
            paletteStart = 0
        }
        let channels = gray ? 1 : 3
        image.reshape(width: width, height: height, channels: channels)
        for y in 0..<height {
            let row = dataOffset + (bottomUp ? height - 1 - y : y) * rowBytes
            var o = y * width * channels
            for x in 0..<width {
                switch bits {
                case 8:
                    let index = Int(b[row + x])
                    let p = paletteStart + 4 * min(index, max(0, paletteCount - 1))
                    if gray {
                        image.storage[o] = b[p]
                    } else {
                        image.storage[o] = b[p + 2]
                        image.storage[o + 1] = b[p + 1]
                        image.storage[o + 2] = b[p]
                    }
                default:
                    let p = row + x * (bits / 8)
                    image.storage[o] = b[p + 2]
                    image.storage[o + 1] = b[p + 1]
                    image.storage[o + 2] = b[p]
                }
                o += channels
            }
        }
        return true
    }
}
