/// A reusable 8-bit image: rows packed, channels interleaved (1 = gray, 3 = RGB).
///
/// ``reshape(width:height:channels:)`` keeps the storage when it is large enough, so a pipeline that
/// reuses one buffer per stage allocates nothing per frame once it has seen the largest frame.
public struct PixelBuffer: Sendable, Equatable {
    /// Width in pixels.
    public private(set) var width: Int
    /// Height in pixels.
    public private(set) var height: Int
    /// Channels per pixel (1 or 3).
    public private(set) var channels: Int
    /// Storage; only the first `width * height * channels` bytes are the image.
    public var storage: [UInt8]

    /// An empty buffer.
    public init() {
        width = 0
        height = 0
        channels = 1
        storage = []
    }

    /// A buffer holding `pixels` (packed rows).
    ///
    /// - Precondition: `pixels.count == width * height * channels`.
    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        precondition(pixels.count == width * height * channels, "pixel count does not match the size")
        self.width = width
        self.height = height
        self.channels = channels
        self.storage = pixels
    }

    /// Number of meaningful bytes.
    public var count: Int { width * height * channels }

    /// The image bytes (a copy; for tests and saving).
    public var pixels: [UInt8] { Array(storage[0..<count]) }

    /// Changes the size, growing the storage only when needed (contents are then unspecified).
    public mutating func reshape(width: Int, height: Int, channels: Int) {
        precondition(width >= 0 && height >= 0 && (channels == 1 || channels == 3), "bad image shape")
        self.width = width
        self.height = height
        self.channels = channels
        let needed = width * height * channels
        if storage.count < needed { storage.append(contentsOf: repeatElement(0, count: needed - storage.count)) }
    }

    /// Ensures at least `byteCount` bytes of storage without changing the shape.
    public mutating func reserveStorage(_ byteCount: Int) {
        if storage.count < byteCount { storage.append(contentsOf: repeatElement(0, count: byteCount - storage.count)) }
    }

    /// The value at (`x`, `y`, `channel`).
    public subscript(x: Int, y: Int, channel: Int) -> UInt8 {
        storage[(y * width + x) * channels + channel]
    }

    /// Returns the same image with a different number of channels (gray ↔ RGB; RGB → gray uses BT.601 luma).
    public func converted(toChannels target: Int) -> PixelBuffer {
        if target == channels { return self }
        var out = [UInt8](repeating: 0, count: width * height * target)
        for i in 0..<(width * height) {
            if target == 3 {
                let v = storage[i]
                out[3 * i] = v
                out[3 * i + 1] = v
                out[3 * i + 2] = v
            } else {
                out[i] = ColorConversion.luma(r: storage[3 * i], g: storage[3 * i + 1], b: storage[3 * i + 2])
            }
        }
        return PixelBuffer(width: width, height: height, channels: target, pixels: out)
    }
}
