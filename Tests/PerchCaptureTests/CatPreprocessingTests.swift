import Foundation
import PerchCapture
import Testing

/// The cat model's evaluation preprocessing (`models/cat/preprocess.py`): box weights, box resize, float64 table,
/// the sidecar's recipe, and byte equality with the shipped int8 tensors of eval-samples.
@Suite struct CatPreprocessingTests {
    static let catModel = TestPaths.repoRoot + "/models/cat"
    static let photos = TestPaths.repoRoot + "/../shared/datasets/cats-dogs-photos-128.tar"

    // MARK: - Box weights

    /// 5 → 3: source pixels have length 3, outputs length 5 (hand-derived overlaps; each row sums to 5).
    @Test func boxWeightsShrinkFiveToThree() {
        let w = BoxWeights(sourceCount: 5, targetCount: 3)
        #expect(w.matrix == [[3, 2, 0, 0, 0], [0, 1, 3, 1, 0], [0, 0, 0, 2, 3]])
        #expect(w.sourceRange(output: 1) == 1..<4)
    }

    /// 3 → 5: source pixels have length 5, outputs length 3; each output overlaps one or two sources.
    @Test func boxWeightsEnlargeThreeToFive() {
        let w = BoxWeights(sourceCount: 3, targetCount: 5)
        #expect(w.matrix == [[3, 0, 0], [2, 1, 0], [0, 3, 0], [0, 1, 2], [0, 0, 3]])
    }

    /// S = N: every output is its own source pixel with weight S, and the resize is the identity.
    @Test func boxWeightsIdentityWhenSizesMatch() throws {
        for s in [1, 2, 7, 64] {
            let w = BoxWeights(sourceCount: s, targetCount: s)
            for j in 0..<s {
                #expect(w.sourceRange(output: j) == j..<(j + 1))
                #expect(w.weight(output: j, source: j) == s)
            }
        }
        var rng = SystemRandomNumberGenerator()
        let pixels = (0..<(7 * 7 * 3)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        #expect(try Self.boxResize(PixelBuffer(width: 7, height: 7, channels: 3, pixels: pixels), to: 7) == pixels)
    }

    /// Every row sums to S over many shapes, as the reference asserts.
    @Test func boxWeightRowsSumToSourceCount() {
        for s in 1...40 {
            for n in 1...40 {
                let w = BoxWeights(sourceCount: s, targetCount: n)
                for j in 0..<n {
                    #expect(w.sourceRange(output: j).map { w.weight(output: j, source: $0) }.reduce(0, +) == s)
                }
            }
        }
    }

    // MARK: - Box resize

    /// 2x2 → 3x3, hand-derived: weights [[2,0],[1,1],[0,2]], D = 4; centre (0+100+200+255+2)/4 = 139,
    /// bottom middle 2·(200+255) = 910 → (910+2)/4 = 228 (227.5 rounds half up).
    @Test func boxResizeEnlargesWithRoundHalfUp() throws {
        let image = PixelBuffer(width: 2, height: 2, channels: 1, pixels: [0, 100, 200, 255])
        #expect(try Self.boxResize(image, to: 3) == [0, 50, 100, 100, 139, 178, 200, 228, 255])
    }

    /// 3x3 → 5x5 (the "3 → 5 square"), values from `preprocess.resize_box_int`.
    @Test func boxResizeThreeToFiveSquare() throws {
        let image = PixelBuffer(width: 3, height: 3, channels: 1, pixels: [0, 90, 180, 9, 99, 189, 18, 108, 255])
        #expect(
            try Self.boxResize(image, to: 5) == [
                0, 30, 90, 150, 180, 3, 33, 93, 153, 183, 9, 39, 99, 159, 189, 15, 45, 105, 190, 233, 18, 48, 108, 206,
                255,
            ])
    }

    /// The separable implementation equals the direct double sum over seeded random regions and sizes.
    @Test func separableBoxEqualsDoubleSum() {
        var state: UInt64 = 0x5EED
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var resampler = Resampler()
        for _ in 0..<60 {
            let width = 1 + next(40)
            let height = 1 + next(40)
            let channels = next(2) == 0 ? 1 : 3
            let pixels = (0..<(width * height * channels)).map { _ in UInt8(next(256)) }
            let rx = next(width)
            let ry = next(height)
            let region = PixelRect(x: rx, y: ry, width: 1 + next(width - rx), height: 1 + next(height - ry))
            let tw = 1 + next(30)
            let th = 1 + next(30)
            var output = PixelBuffer()
            output.reshape(width: tw, height: th, channels: channels)
            resampler.resample(
                pixels.span, layout: .packed(width: width, height: height, channels: channels), region: region,
                filter: .box, into: &output, targetRect: PixelRect(x: 0, y: 0, width: tw, height: th))
            let wx = BoxWeights(sourceCount: region.width, targetCount: tw)
            let wy = BoxWeights(sourceCount: region.height, targetCount: th)
            let d = region.width * region.height
            var expected: [UInt8] = []
            for y in 0..<th {
                for x in 0..<tw {
                    for c in 0..<channels {
                        var acc = 0
                        for r in 0..<region.height {
                            for s in 0..<region.width {
                                let p = pixels[((region.y + r) * width + region.x + s) * channels + c]
                                acc += wy.weight(output: y, source: r) * wx.weight(output: x, source: s) * Int(p)
                            }
                        }
                        expected.append(UInt8((acc + d / 2) / d))
                    }
                }
            }
            #expect(output.pixels == expected, "region \(region) → \(tw)x\(th), \(channels) channel(s)")
        }
    }

    // MARK: - Quantization table and recipe

    /// The float32 scale pulls the ±0.5 ties inside: q[v] = v − 128 for v ≤ 127, v − 129 for v ≥ 128 (model card).
    @Test func catTableMatchesModelCardClosedForm() throws {
        let table = QuantizationTable(spec: try Self.catSpec())
        for v in 0...255 {
            #expect(Int(table(UInt8(v), channel: 0)) == (v <= 127 ? v - 128 : v - 129), "v = \(v)")
        }
    }

    /// Without snapping the table is the literal float64 formula; Perch's default snapping rounds a near-tie.
    @Test func literalTableDoesNotSnapNearTies() {
        // v = 1 with scale 2.0000000001: r = 0.49999999997, within 1e-9 of the tie 0.5.
        let base = InputSpec(
            height: 1, width: 1, channels: 1, scale: 2.000_000_000_1, zeroPoint: 0, normalization: .zeroTo255,
            rounding: .toNearestOrAwayFromZero)
        var literal = base
        literal.snapsNearTies = false
        #expect(QuantizationTable(spec: base)(1, channel: 0) == 1)
        #expect(QuantizationTable(spec: literal)(1, channel: 0) == 0)
    }

    /// The cat sidecar's texts select full decode, center crop, the box filter and the literal away-from-zero table.
    @Test func catSidecarSelectsTheReferencePipeline() throws {
        let recipe = try Self.catRecipe()
        #expect(recipe.options.filter == .box)
        #expect(recipe.options.decodeAtScale == false)
        #expect(recipe.options.crop == .centerCrop)
        #expect(recipe.rounding == .toNearestOrAwayFromZero)
        #expect(recipe.snapsNearTies == false)
        #expect(throws: PreprocessingRecipe.Unrecognized.self) {
            try PreprocessingRecipe(
                decode: nil, crop: nil, resize: "lanczos", quantizationTable: nil, squareInput: true)
        }
        #expect(throws: PreprocessingRecipe.Unrecognized.self) {
            try PreprocessingRecipe(
                decode: nil, crop: "center square", resize: nil, quantizationTable: nil, squareInput: false)
        }
        #expect(
            try PreprocessingRecipe(decode: nil, crop: nil, resize: nil, quantizationTable: nil, squareInput: true)
                == PreprocessingRecipe())
    }

    // MARK: - Golden tensors

    /// Every `eval-samples/*.v1.int8` tensor is reproduced byte for byte from its photo.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: photos), "needs ../shared/datasets (absent)"))
    func evalSampleTensorsAreReproducedExactly() throws {
        let manifestData = try Data(contentsOf: URL(fileURLWithPath: Self.catModel + "/eval-samples/manifest.json"))
        let manifest = try #require(try JSONSerialization.jsonObject(with: manifestData) as? [String: Any])
        let samples = try #require(manifest["samples"] as? [[String: Any]])
        let tensorFiles = try FileManager.default.contentsOfDirectory(atPath: Self.catModel + "/eval-samples")
            .filter { $0.hasSuffix(".v1.int8") }
        #expect(tensorFiles.count == samples.count && !samples.isEmpty)
        let archive = try PhotoArchive(path: Self.photos)
        let preprocessor = try Self.catPreprocessor()
        let header = JPEGDecoder()
        for sample in samples {
            let name = try #require(sample["name"] as? String)
            let file = try #require(sample["file"] as? String)
            let models = try #require(sample["models"] as? [String: Any])
            let v1 = try #require(models["v1"] as? [String: Any])
            let inputFile = try #require(v1["input_file"] as? String)
            #expect(tensorFiles.contains(inputFile))
            let expected = try Data(contentsOf: URL(fileURLWithPath: Self.catModel + "/eval-samples/" + inputFile))
            let jpeg = try archive.contents(of: file)
            let decoded = try #require(sample["decoded"] as? [String: Any])
            let size = try header.readHeader(jpeg.span)
            #expect(size.width == decoded["width"] as? Int && size.height == decoded["height"] as? Int, "\(name)")
            var output: [Int8] = []
            try preprocessor.process(
                Frame(format: .jpeg, width: 0, height: 0, bytesPerLine: 0, sequence: 0), jpeg.span, into: &output)
            #expect(preprocessor.lastJPEGScale == 8, "full-size decode")
            let mismatches = zip(output, expected).filter { $0.0 != Int8(bitPattern: $0.1) }.count
            #expect(output.count == expected.count && mismatches == 0, "\(name): \(mismatches) bytes differ")
        }
    }

    // MARK: - Helpers

    /// The sidecar of cat_v1.
    static func catSidecarInput() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: catModel + "/cat_v1.json"))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(root["input"] as? [String: Any])
    }

    static func catRecipe() throws -> PreprocessingRecipe {
        let input = try catSidecarInput()
        return try PreprocessingRecipe(
            decode: input["decode"] as? String, crop: input["crop"] as? String, resize: input["resize"] as? String,
            quantizationTable: input["quantization_table"] as? String, squareInput: true)
    }

    /// The input spec from the sidecar (64x64x3, float32 scale as stored, zero point, [-1,1]).
    static func catSpec() throws -> InputSpec {
        let input = try catSidecarInput()
        let text = try #require(input["normalization"] as? String)
        let normalization = try #require(Normalization(parsing: text))
        let spec = InputSpec(
            height: try #require(input["height"] as? Int), width: try #require(input["width"] as? Int),
            channels: try #require(input["channels"] as? Int),
            scale: Double(Float(try #require(input["scale"] as? Double))),
            zeroPoint: try #require(input["zero_point"] as? Int), normalization: normalization)
        return try catRecipe().applied(to: spec)
    }

    static func catPreprocessor() throws -> Preprocessor {
        Preprocessor(spec: try catSpec(), options: try catRecipe().options)
    }

    /// Box-resizes a square image to `n × n` through `Preprocessor` (stretch = the whole image).
    static func boxResize(_ image: PixelBuffer, to n: Int) throws -> [UInt8] {
        let spec = InputSpec(
            height: n, width: n, channels: image.channels, scale: 1, zeroPoint: -128, normalization: .zeroTo255)
        let preprocessor = Preprocessor(spec: spec, options: .init(crop: .stretch, filter: .box))
        var output: [Int8] = []
        preprocessor.process(image: image, into: &output)
        return preprocessor.resized.pixels
    }
}

/// Reads single files out of an uncompressed ustar archive (the shared photo tar) without extracting it.
struct PhotoArchive {
    private var entries: [String: (offset: UInt64, size: Int)] = [:]
    private let handle: FileHandle

    init(path: String) throws {
        handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        var offset: UInt64 = 0
        while true {
            try handle.seek(toOffset: offset)
            guard let block = try handle.read(upToCount: 512), block.count == 512, block.contains(where: { $0 != 0 })
            else { break }
            let bytes = [UInt8](block)
            func text(_ range: Range<Int>) -> String {
                String(decoding: bytes[range].prefix { $0 != 0 }, as: UTF8.self)
            }
            let size = Int(text(124..<136).trimmingCharacters(in: .whitespaces), radix: 8) ?? 0
            let prefix = text(345..<500)
            let name = prefix.isEmpty ? text(0..<100) : prefix + "/" + text(0..<100)
            if bytes[156] == UInt8(ascii: "0") || bytes[156] == 0 { entries[name] = (offset + 512, size) }
            offset += 512 + UInt64((size + 511) / 512 * 512)
        }
    }

    /// The bytes of the member at `name` (e.g. `cat/cat.4001.jpg`).
    func contents(of name: String) throws -> [UInt8] {
        let entry = try #require(entries[name], "\(name) is not in the archive")
        try handle.seek(toOffset: entry.offset)
        let data = try handle.read(upToCount: entry.size)
        return [UInt8](try #require(data))
    }
}
