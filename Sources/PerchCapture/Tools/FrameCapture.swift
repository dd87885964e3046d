import SystemPackage

/// `perch capture SOURCE --frames N --out DIR [--size WxH] [--format mjpeg|yuyv|grey]`: saves frames to files.
public enum FrameCapture {
    /// What one saved frame was.
    public struct SavedFrame: Sendable, Equatable {
        /// File written.
        public var path: String
        /// Pixel format captured.
        public var format: PixelFormat
        /// Width (0 when a JPEG's size was not known).
        public var width: Int
        /// Height.
        public var height: Int
        /// Source sequence number.
        public var sequence: UInt64
        /// Driver sequence number, when there is one.
        public var deviceSequence: UInt32?
    }

    /// Captures `frames` frames from `source` into `directory` (created if needed).
    ///
    /// JPEG frames are written as they came (`frame-000000.jpg`); GREY as PGM; YUYV (converted to RGB) and RGB24 as
    /// PPM. Errors for a single frame (corrupt data) are skipped; source errors end the capture.
    /// - Parameters:
    ///   - source: an opened source.
    ///   - frames: how many to save.
    ///   - directory: output directory.
    ///   - maximumAttempts: give up after this many frame errors (a stalled source never loops forever).
    /// - Returns: the saved frames.
    /// - Throws: ``CaptureError``.
    public static func save(
        from source: any FrameSource,
        frames: Int,
        to directory: String,
        maximumAttempts: Int = 5
    ) throws(CaptureError) -> [SavedFrame] {
        if case .failure(let errno) = system_makeDirectories(directory) { throw .io(path: directory, errno: errno) }
        var saved: [SavedFrame] = []
        var failures = 0
        var rgb = PixelBuffer()
        while saved.count < frames {
            do {
                let item = try source.withNextFrame { (frame, bytes) throws(CaptureError) -> SavedFrame in
                    let base = directory + "/frame-" + zeroPadded(saved.count, 6)
                    let (path, data) = try encode(frame, bytes, base: base, rgb: &rgb)
                    if case .failure(let errno) = system_writeFile(path, data) { throw .io(path: path, errno: errno) }
                    return SavedFrame(
                        path: path, format: frame.format, width: frame.width, height: frame.height,
                        sequence: frame.sequence, deviceSequence: frame.deviceSequence)
                }
                saved.append(item)
            } catch {
                if case .endOfStream = error { break }
                failures += 1
                if failures >= maximumAttempts { throw error }
            }
        }
        return saved
    }

    /// Opens `source` with `options` and saves `frames` frames (the CLI's entry point).
    ///
    /// - Throws: ``CaptureError``.
    public static func save(
        source: String,
        options: FrameSources.Options,
        frames: Int,
        to directory: String
    ) throws(CaptureError) -> [SavedFrame] {
        let opened = try FrameSources.open(source, options: options)
        return try save(from: opened, frames: frames, to: directory)
    }

    static func encode(_ frame: Frame, _ bytes: Span<UInt8>, base: String, rgb: inout PixelBuffer)
        throws(CaptureError) -> (String, [UInt8])
    {
        switch frame.format {
        case .mjpeg, .jpeg:
            var data = [UInt8](repeating: 0, count: bytes.count)
            for i in bytes.indices { data[i] = bytes[i] }
            return (base + ".jpg", data)
        case .grey:
            return (
                base + ".pgm", netpbm(bytes, frame: frame, channels: 1, stride: max(frame.bytesPerLine, frame.width))
            )
        case .rgb24:
            return (
                base + ".ppm",
                netpbm(bytes, frame: frame, channels: 3, stride: max(frame.bytesPerLine, frame.width * 3))
            )
        case .yuyv:
            let stride = max(frame.bytesPerLine, frame.width * 2)
            guard bytes.count >= stride * frame.height else {
                throw .shortFrame(expected: stride * frame.height, actual: bytes.count)
            }
            ColorConversion.yuyvToRGB(
                bytes, bytesPerLine: stride, region: PixelRect(x: 0, y: 0, width: frame.width, height: frame.height),
                into: &rgb)
            let storage = rgb.storage
            return (base + ".ppm", netpbm(storage.span, frame: frame, channels: 3, stride: frame.width * 3))
        default:
            throw .unsupportedPixelFormat(frame.format)
        }
    }

    /// A binary PGM (1 channel) or PPM (3 channels) file.
    static func netpbm(_ bytes: Span<UInt8>, frame: Frame, channels: Int, stride: Int) -> [UInt8] {
        var out = Array("\(channels == 1 ? "P5" : "P6")\n\(frame.width) \(frame.height)\n255\n".utf8)
        out.reserveCapacity(out.count + frame.width * frame.height * channels)
        for y in 0..<frame.height {
            for i in 0..<(frame.width * channels) { out.append(bytes[y * stride + i]) }
        }
        return out
    }

    static func zeroPadded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
