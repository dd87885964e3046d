import PerchCapture

/// Locations of test inputs, relative to this source file (the repo layout), never copied into the repo.
enum TestPaths {
    /// `<repo>/Tests/Fixtures`.
    static var fixtures: String { repoRoot + "/Tests/Fixtures" }

    /// `<repo>/../shared/models` (the team's shared models; tests skip when absent).
    static var sharedModels: String { repoRoot + "/../shared/models" }

    static var repoRoot: String {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // Tests/PerchCaptureTests/TestPaths.swift
        return parts.joined(separator: "/")
    }

    static func exists(_ path: String) -> Bool {
        var buffer: [UInt8] = []
        return (try? ImageFile.read(path: path, into: &buffer)) != nil
    }
}

/// Test images made with the real libjpeg encoder.
enum TestImages {
    /// A uniform gray JPEG (quality 100: every 8x8 block decodes back to `value` exactly).
    static func uniformGrayJPEG(width: Int, height: Int, value: UInt8) throws -> [UInt8] {
        try JPEGEncoder.encode(
            PixelBuffer(
                width: width, height: height, channels: 1, pixels: .init(repeating: value, count: width * height)),
            quality: 100)
    }

    /// A textured RGB JPEG.
    static func patternJPEG(width: Int, height: Int, seed: Int) throws -> [UInt8] {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let o = (y * width + x) * 3
                pixels[o] = UInt8((x * 7 + seed) & 255)
                pixels[o + 1] = UInt8((y * 5 + seed * 3) & 255)
                pixels[o + 2] = UInt8(((x / 8 + y / 8 + seed) % 2) * 200)
            }
        }
        return try JPEGEncoder.encode(
            PixelBuffer(width: width, height: height, channels: 3, pixels: pixels), quality: 85)
    }
}
