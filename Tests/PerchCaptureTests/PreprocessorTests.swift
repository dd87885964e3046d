import PerchCapture
import Testing

@Suite struct PreprocessorTests {
    /// The 4x4 ramp 0...15 area-averaged to 2x2 is [3, 5, 11, 13]; minus 128.
    static let areaExpected: [Int8] = [-125, -123, -117, -115]

    static let raw4 = InputSpec(height: 2, width: 2, channels: 1, scale: 1, zeroPoint: -128, normalization: .zeroTo255)

    @Test func greyFrameIsAreaResizedAndQuantized() throws {
        let pixels: [UInt8] = (0..<16).map { UInt8($0) }
        let p = Preprocessor(spec: Self.raw4, options: .init(crop: .stretch, filter: .area))
        var out: [Int8] = []
        try p.process(Frame(format: .grey, width: 4, height: 4, bytesPerLine: 4, sequence: 0), pixels.span, into: &out)
        #expect(out == Self.areaExpected)
    }

    @Test func yuyvGrayModelReadsLumaInPlace() throws {
        var yuyv: [UInt8] = []
        for i in 0..<16 { yuyv += [UInt8(i), 200] }  // Y = 0...15, chroma 200 must not leak in
        let p = Preprocessor(spec: Self.raw4, options: .init(crop: .stretch, filter: .area))
        var out: [Int8] = []
        try p.process(Frame(format: .yuyv, width: 4, height: 4, bytesPerLine: 8, sequence: 0), yuyv.span, into: &out)
        #expect(out == Self.areaExpected)
    }

    @Test func yuyvRGBModelConvertsAndWritesNCHW() throws {
        let yuyv = [UInt8]([100, 90, 100, 200]).repeated(8)  // 4x4 uniform Y 100, U 90, V 200
        let spec = InputSpec(
            height: 2, width: 2, channels: 3, layout: .nchw, scale: 1, zeroPoint: -128, normalization: .zeroTo255)
        let p = Preprocessor(spec: spec)
        var out: [Int8] = []
        try p.process(Frame(format: .yuyv, width: 4, height: 4, bytesPerLine: 8, sequence: 0), yuyv.span, into: &out)
        // RGB (213, 54, 21) - 128, planar
        #expect(
            out == [Int8](repeating: 85, count: 4) + [Int8](repeating: -74, count: 4)
                + [Int8](repeating: -107, count: 4))
        let nhwc = Preprocessor(
            spec: InputSpec(height: 2, width: 2, channels: 3, scale: 1, zeroPoint: -128, normalization: .zeroTo255))
        try nhwc.process(Frame(format: .yuyv, width: 4, height: 4, bytesPerLine: 8, sequence: 0), yuyv.span, into: &out)
        #expect(out == [Int8]([85, -74, -107]).repeated(4))
    }

    @Test func letterboxPadsWithThePadValue() throws {
        let pixels = [UInt8](repeating: 200, count: 8 * 4)  // 8x4 -> 4x4: content 4x2 centered
        let spec = InputSpec(height: 4, width: 4, channels: 1, scale: 1, zeroPoint: -128, normalization: .zeroTo255)
        let p = Preprocessor(spec: spec, options: .init(crop: .letterbox, padValue: 0))
        var out: [Int8] = []
        try p.process(Frame(format: .grey, width: 8, height: 4, bytesPerLine: 8, sequence: 0), pixels.span, into: &out)
        let pad = [Int8](repeating: -128, count: 4)
        let body = [Int8](repeating: 72, count: 8)
        #expect(out == pad + body + pad)
    }

    @Test func jpegIsDecodedAtTheSmallestSufficientScale() throws {
        let jpeg = try TestImages.uniformGrayJPEG(width: 640, height: 480, value: 90)
        let spec = InputSpec(height: 96, width: 96, channels: 1, scale: 1, zeroPoint: -128, normalization: .zeroTo255)
        let frame = Frame(format: .mjpeg, width: 0, height: 0, bytesPerLine: 0, sequence: 0)
        let scaled = Preprocessor(spec: spec)
        var a: [Int8] = []
        try scaled.process(frame, jpeg.span, into: &a)
        #expect(scaled.lastJPEGScale == 2)
        #expect(a == [Int8](repeating: -38, count: 96 * 96))
        let full = Preprocessor(spec: spec, options: .init(decodeAtScale: false))
        var b: [Int8] = []
        try full.process(frame, jpeg.span, into: &b)
        #expect(full.lastJPEGScale == 8)
        #expect(a == b)
        let rgb = Preprocessor(
            spec: InputSpec(height: 224, width: 224, channels: 3, scale: 1, zeroPoint: -128, normalization: .zeroTo255))
        try rgb.process(frame, jpeg.span, into: &b)
        #expect(rgb.lastJPEGScale == 4)
        #expect(b == [Int8](repeating: -38, count: 224 * 224 * 3))
    }

    @Test func corruptJPEGFrameThrowsAndTheNextFrameWorks() throws {
        let good = try TestImages.uniformGrayJPEG(width: 64, height: 64, value: 50)
        let p = Preprocessor(spec: Self.raw4)
        let frame = Frame(format: .mjpeg, width: 64, height: 64, bytesPerLine: 0, sequence: 0)
        var out: [Int8] = []
        let truncated = Array(good.prefix(good.count - 40))
        #expect(throws: CaptureError.jpeg(.truncated)) { try p.process(frame, truncated.span, into: &out) }
        try p.process(frame, good.span, into: &out)
        #expect(out == [Int8](repeating: -78, count: 4))
    }

    @Test func shortRawFrameIsAnErrorNotACrash() {
        let p = Preprocessor(spec: Self.raw4)
        var out: [Int8] = []
        let bytes = [UInt8](repeating: 0, count: 10)
        #expect(throws: CaptureError.shortFrame(expected: 16, actual: 10)) {
            try p.process(
                Frame(format: .grey, width: 4, height: 4, bytesPerLine: 4, sequence: 0), bytes.span, into: &out)
        }
        #expect(throws: CaptureError.unsupportedPixelFormat(PixelFormat(fourCC: "NV12"))) {
            try p.process(
                Frame(format: PixelFormat(fourCC: "NV12"), width: 4, height: 4, bytesPerLine: 4, sequence: 0),
                bytes.span, into: &out)
        }
    }

    static let personDetect = TestPaths.sharedModels + "/person_detect"

    @Test(
        .enabled(
            if: TestPaths.exists(personDetect + "/no_person.bmp"),
            "needs ../shared/models/person_detect (the shared folder beside the repo)"))
    func personDetectBitmapReproducesTheGoldenInput() throws {
        let dir = Self.personDetect
        let vectors = try VectorFile.inputs(path: dir + "/person_detect.vectors.json")
        // no_person.bmp is a normal grayscale BMP: the model input is pixel - 128.
        let spec = InputSpec(height: 96, width: 96, channels: 1, scale: 1, zeroPoint: -128, normalization: .zeroTo255)
        let source = try FrameSources.open(
            "file:" + dir + "/no_person.bmp",
            options: {
                var o = FrameSources.Options(); o.framesPerSecond = nil; return o
            }())
        let p = Preprocessor(spec: spec)
        var out: [Int8] = []
        try source.withNextFrame { (frame, bytes) throws(CaptureError) in
            try p.process(frame, bytes, into: &out)
        }
        #expect(out == vectors["no_person__natural_minus128"])
        // person.bmp's bytes are stored XOR 0x80: read as int8 they are the golden "raw bytes" input.
        let person = try ImageFile.load(path: dir + "/person.bmp")
        #expect(person.pixels.map { Int8(bitPattern: $0) } == vectors["person__rawbytes_as_int8"])
    }

    /// Decoding only the crop's rows and columns changes no output value: the result equals resizing a whole
    /// decode at the same DCT scale.
    @Test(arguments: CropPolicy.allCases)
    func jpegRegionDecodeMatchesAWholeDecodeAtTheSameScale(crop: CropPolicy) throws {
        let jpeg = try JPEGDecoderRegionTests.noisyJPEG(width: 640, height: 480)
        let frame = Frame(format: .mjpeg, width: 640, height: 480, bytesPerLine: 0, sequence: 0)
        for (width, height, channels) in [(96, 96, 1), (64, 64, 3), (100, 40, 3), (30, 90, 1)] {
            let spec = InputSpec(
                height: height, width: width, channels: channels, scale: 1, zeroPoint: -128, normalization: .zeroTo255)
            let options = Preprocessor.Options(crop: crop, filter: .area)
            let p = Preprocessor(spec: spec, options: options)
            var out: [Int8] = []
            try p.process(frame, jpeg.span, into: &out)
            var whole = PixelBuffer()
            try JPEGDecoder().decode(jpeg.span, scaleNumerator: p.lastJPEGScale, gray: channels == 1, into: &whole)
            var expected: [Int8] = []
            Preprocessor(spec: spec, options: options).process(image: whole, into: &expected)
            #expect(out == expected, "\(crop) \(width)x\(height)x\(channels) at \(p.lastJPEGScale)/8")
        }
    }
}

extension Array {
    func repeated(_ times: Int) -> [Element] { (0..<times).flatMap { _ in self } }
}
