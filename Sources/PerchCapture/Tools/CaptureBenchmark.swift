/// Frame → model-input benchmark: decode-at-scale against full decode + resize, for 640×480 MJPEG, next to the
/// floor under both (entropy decoding alone).
///
/// Not a unit test (timings on a shared machine are noise); run by `perch-capture-vmtest bench` and
/// `scripts/vm/bench-capture.sh`. Times are the thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`), so time spent
/// waiting for a core while other processes run is not counted. The modes are interleaved in rounds of 10 frames and
/// each reports its fastest round: on a shared machine other processes only ever add time (cache and memory
/// contention remain), so the minimum is the least disturbed estimate of each mode's own cost.
public enum CaptureBenchmark {
    /// One measured case.
    public struct Result: Sendable, Equatable {
        /// e.g. `"96x96 gray"`.
        public var name: String
        /// Milliseconds per frame with DCT-scaled decoding (cropped to the rows and columns used).
        public var scaledMilliseconds: Double
        /// Milliseconds per frame with a full-size decode then resize.
        public var fullMilliseconds: Double
        /// Milliseconds per frame of entropy decoding alone (``JPEGDecoder/decodeEntropyOnly(_:)``).
        public var entropyMilliseconds: Double
        /// The DCT scale used (n/8).
        public var scaleNumerator: Int
        /// full / scaled.
        public var speedup: Double { fullMilliseconds / scaledMilliseconds }
        /// full / entropy: the most any decode-at-scale could gain on this frame.
        public var ceiling: Double { fullMilliseconds / entropyMilliseconds }
    }

    /// A deterministic 640×480 photo-like test image (gradients, edges and seeded noise), JPEG quality 85.
    public static func syntheticJPEG(width: Int = 640, height: Int = 480, quality: Int = 85) -> [UInt8] {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        var seed: UInt32 = 12345
        for y in 0..<height {
            for x in 0..<width {
                seed = seed &* 1_664_525 &+ 1_013_904_223
                let noise = Int(seed >> 30) - 2  // camera-like sensor noise, a few levels
                let disc =
                    ((x - width / 2) * (x - width / 2) + (y - height / 2) * (y - height / 2)) < (height / 3)
                    * (height / 3)
                let o = (y * width + x) * 3
                pixels[o] = UInt8(clamping: x * 255 / width + noise)
                pixels[o + 1] = UInt8(clamping: (disc ? 200 : y * 255 / height) + noise)
                pixels[o + 2] = UInt8(clamping: ((x / 32 + y / 32) % 2 == 0 ? 60 : 180) + noise)
            }
        }
        let image = PixelBuffer(width: width, height: height, channels: 3, pixels: pixels)
        return (try? JPEGEncoder.encode(image, quality: quality)) ?? []
    }

    /// A real photo as a camera frame: center-cropped to 4:3, resized to `width`×`height` (box filter), with
    /// optional seeded sensor noise (uniform, ±`noise` levels per channel), re-encoded as JPEG (4:2:0).
    ///
    /// - Throws: ``CaptureError`` if the file cannot be read or decoded.
    public static func photoJPEG(
        path: String, width: Int = 640, height: Int = 480, noise: Int = 0, quality: Int = 85
    ) throws(CaptureError) -> [UInt8] {
        let photo = try ImageFile.load(path: path).converted(toChannels: 3)
        let g = CropPolicy.centerCrop.geometry(
            sourceWidth: photo.width, sourceHeight: photo.height, targetWidth: width, targetHeight: height)
        var frame = PixelBuffer()
        frame.reshape(width: width, height: height, channels: 3)
        var resampler = Resampler()
        resampler.resample(
            photo.storage.span, layout: .packed(width: photo.width, height: photo.height, channels: 3),
            region: g.source, filter: .box, into: &frame, targetRect: g.target)
        if noise > 0 {
            var seed: UInt32 = 12345
            for i in 0..<frame.count {
                seed = seed &* 1_664_525 &+ 1_013_904_223
                let n = Int(seed >> 16) % (2 * noise + 1) - noise
                frame.storage[i] = UInt8(clamping: Int(frame.storage[i]) + n)
            }
        }
        do { return try JPEGEncoder.encode(frame, quality: quality) } catch { throw .jpeg(error) }
    }

    /// Times the cases on `jpeg` in one run: `iterations` frames per mode and case, in rounds of 10 frames
    /// interleaving the modes, after a warm-up; each mode reports the thread CPU time of its fastest round.
    ///
    /// - Returns: one result per case: 96×96 gray and 64×64 RGB.
    public static func run(jpeg: [UInt8] = syntheticJPEG(), iterations: Int = 200) -> [Result] {
        let cases: [(String, InputSpec)] = [
            (
                "96x96 gray",
                InputSpec(
                    height: 96, width: 96, channels: 1, scale: 1 / 127.5, zeroPoint: -1, normalization: .minusOneToOne)
            ),
            (
                "64x64 RGB",
                InputSpec(
                    height: 64, width: 64, channels: 3, scale: 1 / 255, zeroPoint: -128, normalization: .zeroToOne)
            ),
        ]
        let frame = Frame(format: .mjpeg, width: 640, height: 480, bytesPerLine: 0, sequence: 0)
        let decoder = JPEGDecoder()
        let entropyOnly = { for _ in 0..<10 { try? decoder.decodeEntropyOnly(jpeg.span) } }
        var results: [Result] = []
        for (name, spec) in cases {
            var modes: [() -> Void] = []
            var preprocessors: [Preprocessor] = []
            for atScale in [true, false] {
                let p = Preprocessor(
                    spec: spec, options: .init(crop: .centerCrop, filter: .area, decodeAtScale: atScale))
                preprocessors.append(p)
                var out = [Int8](repeating: 0, count: spec.elementCount)
                modes.append { for _ in 0..<10 { try? p.process(frame, jpeg.span, into: &out) } }
            }
            modes.append(entropyOnly)
            for mode in modes { mode() }  // warm-up: buffers sized, tables built
            let rounds = max(1, iterations / 10)
            var samples = [[Double]](repeating: [], count: modes.count)
            for _ in 0..<rounds {
                for (i, mode) in modes.enumerated() {
                    let start = system_threadCPUNanoseconds()
                    mode()
                    samples[i].append(Double(system_threadCPUNanoseconds() - start) / 1e6 / 10)
                }
            }
            let best = samples.map { $0.min() ?? 0 }
            results.append(
                Result(
                    name: name, scaledMilliseconds: best[0], fullMilliseconds: best[1],
                    entropyMilliseconds: best[2], scaleNumerator: preprocessors[0].lastJPEGScale))
        }
        return results
    }

    /// A Markdown table of `results`.
    public static func table(_ results: [Result]) -> String {
        func f(_ v: Double) -> String { String((v * 1000).rounded() / 1000) }
        func x(_ v: Double) -> String { "\((v * 10).rounded() / 10)x" }
        var lines = [
            "| 640x480 MJPEG -> | decode-at-scale (ms/frame) | full decode + resize (ms/frame) | speedup "
                + "| entropy decode only (ms/frame) | full / entropy | DCT scale |",
            "|---|---|---|---|---|---|---|",
        ]
        for r in results {
            lines.append(
                "| \(r.name) | \(f(r.scaledMilliseconds)) | \(f(r.fullMilliseconds)) | \(x(r.speedup)) "
                    + "| \(f(r.entropyMilliseconds)) | \(x(r.ceiling)) | \(r.scaleNumerator)/8 |")
        }
        return lines.joined(separator: "\n")
    }
}
