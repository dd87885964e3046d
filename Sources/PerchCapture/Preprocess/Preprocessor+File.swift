extension Preprocessor {
    /// Preprocesses an image file (JPEG, PGM/PPM, BMP) into `output`, the path `perch infer --input` uses.
    ///
    /// JPEG files take the same decode-at-scale path as camera frames.
    /// - Throws: ``CaptureError/io(path:errno:)``, ``CaptureError/unsupportedImage(path:)``, ``CaptureError/jpeg(_:)``.
    public func process(file path: String, into output: inout [Int8]) throws(CaptureError) {
        var bytes: [UInt8] = []
        let count = try ImageFile.read(path: path, into: &bytes)
        var scratch = PixelBuffer()
        let data = bytes
        try ImageFile.withFrame(data.span.extracting(0..<count), path: path, scratch: &scratch) {
            (frame, pixels) throws(CaptureError) in
            try process(frame, pixels, into: &output)
        }
    }
}
