/// Walks JPEG marker segments to find where one JPEG image ends.
///
/// A bare search for `FF D9` is wrong: an EXIF thumbnail inside APP1 has its own EOI. This scanner skips
/// marker segments by their length, scans entropy-coded data for a real marker (`FF 00` is a stuffed
/// byte, `FF D0`–`FF D7` are restart markers), and follows progressive JPEGs' later DHT/SOS segments.
public struct JPEGMarkerScanner: Sendable {
    /// Outcome of scanning from a start of image.
    public enum Result: Equatable, Sendable {
        /// The image ends at this offset (just after `FF D9`).
        case complete(end: Int)
        /// More bytes are needed; scanning can resume at `resumeAt` in the same state.
        case needMoreData
        /// The bytes are not a well-formed JPEG from `start` on; resync at `resyncAt`.
        case malformed(resyncAt: Int)
    }

    private enum State: Sendable {
        case segments
        case entropy
    }

    private var state: State = .segments
    /// Offset of the next byte to look at, relative to the buffer given to ``scan(_:start:)``.
    public private(set) var cursor: Int = 0

    /// A scanner for an image whose SOI (`FF D8`) is at `start`.
    public init(start: Int) {
        cursor = start + 2
    }

    /// Continues scanning `bytes` (the same buffer, possibly grown) from where it stopped.
    public mutating func scan(_ bytes: Span<UInt8>) -> Result {
        let n = bytes.count
        while true {
            switch state {
            case .segments:
                guard cursor + 1 < n else { return .needMoreData }
                guard bytes[cursor] == 0xFF else { return .malformed(resyncAt: cursor) }
                let marker = bytes[cursor + 1]
                switch marker {
                case 0xFF:
                    cursor += 1  // fill byte
                case 0xD9:
                    return .complete(end: cursor + 2)
                case 0xD8:
                    return .malformed(resyncAt: cursor)  // a new image began before this one ended
                case 0x01, 0xD0...0xD7:
                    cursor += 2
                default:
                    guard cursor + 3 < n else { return .needMoreData }
                    let length = Int(bytes[cursor + 2]) << 8 | Int(bytes[cursor + 3])
                    guard length >= 2 else { return .malformed(resyncAt: cursor + 2) }
                    cursor += 2 + length
                    if marker == 0xDA { state = .entropy }
                }
            case .entropy:
                while cursor < n && bytes[cursor] != 0xFF { cursor += 1 }
                guard cursor + 1 < n else { return .needMoreData }
                let next = bytes[cursor + 1]
                if next == 0x00 || (0xD0...0xD7).contains(next) {
                    cursor += 2
                } else if next == 0xFF {
                    cursor += 1
                } else {
                    state = .segments
                }
            }
        }
    }

    /// Rebases the cursor after the scanned buffer's first `amount` bytes were dropped.
    mutating func shift(by amount: Int) {
        cursor -= amount
    }

    /// The length of the JPEG image at the start of `bytes`, or `nil` if it does not start with SOI or does not
    /// end inside `bytes`.
    ///
    /// Used instead of trusting `bytesused`, which some drivers set to the whole buffer for MJPEG.
    public static func imageLength(in bytes: Span<UInt8>) -> Int? {
        guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return nil }
        var scanner = JPEGMarkerScanner(start: 0)
        if case .complete(let end) = scanner.scan(bytes) { return end }
        return nil
    }
}
