/// Frame → model-input benchmark: decode-at-scale against full decode + resize, for 640×480 MJPEG.
///
/// Not a unit test (timings on a shared machine are noise); run by `perch-capture-vmtest bench` and
/// `scripts/bench-capture.sh`.
public enum CaptureBenchmark {
    /// One measured case.
    public struct Result: Sendable, Equatable {
        /// e.g. `"96x96 gray"`.
        public var name: String
        /// Milliseconds per frame with DCT-scaled decoding.
        public var scaledMilliseconds: Double
        /// Milliseconds per frame with a full-size decode then resize.
        public var fullMilliseconds: Double
        /// The DCT scale used (n/8).
        public var scaleNumerator: Int
        /// full / scaled.
        public var speedup: Double { fullMilliseconds / scaledMilliseconds }
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

    /// Times `iterations` frames per case and mode (after a warm-up), in one run.
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
        var results: [Result] = []
        for (name, spec) in cases {
            var times: [Double] = []
            var scale = 8
            for atScale in [true, false] {
                let p = Preprocessor(
                    spec: spec, options: .init(crop: .centerCrop, filter: .area, decodeAtScale: atScale))
                var out = [Int8](repeating: 0, count: spec.elementCount)
                for _ in 0..<10 { try? p.process(frame, jpeg.span, into: &out) }
                let clock = ContinuousClock()
                let elapsed = clock.measure {
                    for _ in 0..<iterations { try? p.process(frame, jpeg.span, into: &out) }
                }
                let c = elapsed.components
                times.append((Double(c.seconds) * 1e3 + Double(c.attoseconds) / 1e15) / Double(iterations))
                if atScale { scale = p.lastJPEGScale }
            }
            results.append(
                Result(name: name, scaledMilliseconds: times[0], fullMilliseconds: times[1], scaleNumerator: scale))
        }
        return results
    }

    /// A Markdown table of `results`.
    public static func table(_ results: [Result]) -> String {
        func f(_ v: Double) -> String { String((v * 1000).rounded() / 1000) }
        var lines = [
            "| 640x480 MJPEG -> | decode-at-scale (ms/frame) | full decode + resize (ms/frame) | speedup | DCT scale |",
            "|---|---|---|---|---|",
        ]
        for r in results {
            lines.append(
                "| \(r.name) | \(f(r.scaledMilliseconds)) | \(f(r.fullMilliseconds)) | \((r.speedup * 10).rounded() / 10)x | \(r.scaleNumerator)/8 |"
            )
        }
        return lines.joined(separator: "\n")
    }
}
