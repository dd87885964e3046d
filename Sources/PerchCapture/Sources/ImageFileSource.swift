/// Frames replayed from image files: `file:PATH` (one image) or `dir:PATH` (every JPEG, PPM/PGM and BMP in the
/// directory, sorted by name), at a given rate, looping or once.
///
/// JPEG files are lent as ``PixelFormat/mjpeg`` frames, so they take the same decode-at-scale path as a camera;
/// PGM/PPM as GREY/RGB24 in place; BMP is decoded into a reused buffer.
public final class ImageFileSource: FrameSource {
    /// The source string.
    public let name: String
    /// The files, in play order.
    public let paths: [String]
    /// Replay rate; `nil` delivers as fast as asked.
    public let framesPerSecond: Double?
    /// Start again after the last file (otherwise ``CaptureError/endOfStream``).
    public let loop: Bool
    /// Counters.
    public private(set) var statistics = SourceStatistics()

    private var index = 0
    private var fileBytes: [UInt8] = []
    private var decoded = PixelBuffer()
    private var nextDue: ContinuousClock.Instant?

    /// File extensions (lowercased) a `dir:` source picks up.
    public static let extensions: Set<String> = ["jpg", "jpeg", "ppm", "pgm", "pnm", "bmp"]

    /// Creates a source over `paths`.
    ///
    /// - Throws: ``CaptureError/invalidSource(_:)`` when `paths` is empty.
    public init(name: String, paths: [String], framesPerSecond: Double? = nil, loop: Bool = false) throws(CaptureError)
    {
        guard !paths.isEmpty else { throw .invalidSource("\(name): no JPEG, PPM/PGM or BMP files") }
        self.name = name
        self.paths = paths
        self.framesPerSecond = framesPerSecond
        self.loop = loop
    }

    /// A `dir:` source: the directory's image files sorted by name.
    ///
    /// - Throws: ``CaptureError/io(path:errno:)`` or ``CaptureError/invalidSource(_:)``.
    public convenience init(directory: String, framesPerSecond: Double? = nil, loop: Bool = false) throws(CaptureError)
    {
        let names: [String]
        switch system_listDirectory(directory) {
        case .success(let list): names = list
        case .failure(let errno): throw .io(path: directory, errno: errno)
        }
        let images = names.filter { name in
            guard let dot = name.lastIndex(of: ".") else { return false }
            return Self.extensions.contains(name[name.index(after: dot)...].lowercased())
        }.sorted()
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        try self.init(
            name: "dir:" + directory, paths: images.map { base + $0 }, framesPerSecond: framesPerSecond, loop: loop)
    }

    /// Lends the next file's image to `body`, sleeping to keep the replay rate.
    ///
    /// - Throws: ``CaptureError/endOfStream`` after the last file when not looping, ``CaptureError/io(path:errno:)``,
    ///   ``CaptureError/unsupportedImage(path:)``.
    public func withNextFrame<R>(_ body: (Frame, Span<UInt8>) throws(CaptureError) -> R) throws(CaptureError) -> R {
        if index >= paths.count {
            guard loop else { throw .endOfStream }
            index = 0
        }
        if let fps = framesPerSecond, fps > 0 {
            let now = ContinuousClock.now
            if let due = nextDue, due > now { system_sleep(due - now) }
            nextDue = max(nextDue ?? now, now) + .nanoseconds(Int64(1e9 / fps))
        }
        let path = paths[index]
        index += 1
        let count = try ImageFile.read(path: path, into: &fileBytes)
        let sequence = statistics.delivered
        let bytes = fileBytes
        let result = try ImageFile.withFrame(bytes.span.extracting(0..<count), path: path, scratch: &decoded) {
            (info, pixels) throws(CaptureError) -> R in
            var frame = info
            frame.sequence = sequence
            return try body(frame, pixels)
        }
        statistics.delivered += 1
        return result
    }
}
