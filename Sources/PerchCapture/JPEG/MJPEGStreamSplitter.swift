/// Splits a byte stream of concatenated JPEG images (MJPEG over a pipe) into whole images.
///
/// Bytes are appended as they arrive; complete images are lent out one at a time. Garbage between images
/// is skipped and counted; an image larger than `maximumImageBytes` is dropped so memory stays bounded.
/// The internal buffer is compacted in place, so steady state does not allocate.
public struct MJPEGStreamSplitter: Sendable {
    private var buffer: [UInt8] = []
    private var start = 0  // first unconsumed byte
    private var frameStart: Int?  // SOI of the image being scanned
    private var scanner = JPEGMarkerScanner(start: 0)
    /// Largest accepted image.
    public let maximumImageBytes: Int
    /// Bytes thrown away while resynchronising (garbage, broken or oversized images).
    public private(set) var discardedBytes = 0
    /// Complete images found so far.
    public private(set) var imagesFound = 0

    /// Creates a splitter.
    ///
    /// - Parameter maximumImageBytes: larger images are discarded (default 16 MiB).
    public init(maximumImageBytes: Int = 16 << 20) {
        self.maximumImageBytes = maximumImageBytes
        buffer.reserveCapacity(1 << 20)
    }

    /// Bytes buffered and not yet part of a lent image.
    public var bufferedByteCount: Int { buffer.count - start }

    /// Appends newly read bytes.
    public mutating func append(_ bytes: Span<UInt8>) {
        compactIfUseful()
        for i in bytes.indices { buffer.append(bytes[i]) }
    }

    /// Appends newly read bytes.
    public mutating func append(_ bytes: [UInt8]) {
        append(bytes.span)
    }

    /// Appends the first `count` bytes of `chunk` (a reused read buffer).
    public mutating func append(_ chunk: [UInt8], count: Int) {
        compactIfUseful()
        buffer.append(contentsOf: chunk[0..<count])
    }

    /// Lends the next complete image to `body`, or returns `nil` when none is complete yet.
    public mutating func nextImage<R, E: Error>(_ body: (Span<UInt8>) throws(E) -> R) throws(E) -> R? {
        guard let range = findImage() else { return nil }
        start = range.upperBound
        imagesFound += 1
        return try body(buffer.span.extracting(range))
    }

    private mutating func findImage() -> Range<Int>? {
        while true {
            if frameStart == nil {
                guard let soi = findSOI(from: start) else {
                    // keep a trailing 0xFF: it may be the first half of the next SOI
                    let keep = buffer.count > start && buffer[buffer.count - 1] == 0xFF ? 1 : 0
                    discardedBytes += buffer.count - keep - start
                    start = buffer.count - keep
                    return nil
                }
                discardedBytes += soi - start
                start = soi
                frameStart = soi
                scanner = JPEGMarkerScanner(start: soi)
            }
            let begin = frameStart!
            var local = scanner
            let result = local.scan(buffer.span)
            scanner = local
            switch result {
            case .complete(let end):
                frameStart = nil
                if end - begin > maximumImageBytes {
                    discardedBytes += end - begin
                    start = end
                    continue
                }
                return begin..<end
            case .needMoreData:
                if buffer.count - begin > maximumImageBytes {
                    discardedBytes += buffer.count - begin
                    start = buffer.count
                    frameStart = nil
                }
                return nil
            case .malformed(let resyncAt):
                let next = max(resyncAt, begin + 1)
                discardedBytes += next - begin
                start = next
                frameStart = nil
            }
        }
    }

    private func findSOI(from index: Int) -> Int? {
        var i = index
        while i + 1 < buffer.count {
            if buffer[i] == 0xFF && buffer[i + 1] == 0xD8 { return i }
            i += 1
        }
        return nil
    }

    /// Moves unconsumed bytes to the front once more than half the buffer is consumed.
    private mutating func compactIfUseful() {
        guard start > 0, start >= buffer.count / 2 else { return }
        let shift = start
        let remaining = buffer.count - start
        for i in 0..<remaining { buffer[i] = buffer[i + shift] }
        buffer.removeLast(shift)
        start = 0
        if let f = frameStart {
            frameStart = f - shift
            scanner.shift(by: shift)
        }
    }
}
