import CV4L2

/// A V4L2 pixel format, identified by its FourCC code (`v4l2_pix_format.pixelformat`).
public struct PixelFormat: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The little-endian FourCC code, as `v4l2_fourcc(a, b, c, d)` builds it.
    public var rawValue: UInt32

    /// Wraps a FourCC code.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Builds a format from its four-character code, e.g. `"YUYV"`.
    ///
    /// - Precondition: `code` has exactly four ASCII characters.
    public init(fourCC code: String) {
        let bytes = Array(code.utf8)
        precondition(bytes.count == 4, "a FourCC has four ASCII characters")
        rawValue = UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24
    }

    /// Motion-JPEG (`V4L2_PIX_FMT_MJPEG`, "MJPG"): one JPEG image per frame.
    public static let mjpeg = PixelFormat(rawValue: CV4L2_PIX_FMT_MJPEG)
    /// JFIF JPEG (`V4L2_PIX_FMT_JPEG`, "JPEG"), handled like MJPEG.
    public static let jpeg = PixelFormat(rawValue: CV4L2_PIX_FMT_JPEG)
    /// Packed YUV 4:2:2, Y0 U Y1 V (`V4L2_PIX_FMT_YUYV`).
    public static let yuyv = PixelFormat(rawValue: CV4L2_PIX_FMT_YUYV)
    /// 8-bit grayscale (`V4L2_PIX_FMT_GREY`).
    public static let grey = PixelFormat(rawValue: CV4L2_PIX_FMT_GREY)
    /// Packed 8-bit RGB (`V4L2_PIX_FMT_RGB24`, "RGB3").
    public static let rgb24 = PixelFormat(rawValue: CV4L2_PIX_FMT_RGB24)

    /// The four characters of the code, e.g. `"MJPG"`.
    public var fourCC: String {
        let bytes = (0..<4).map { UInt8(truncatingIfNeeded: rawValue >> (8 * UInt32($0))) }
        return String(decoding: bytes.map { $0 >= 0x20 && $0 < 0x7F ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
    }

    /// `true` for JPEG-compressed formats (MJPEG and JPEG).
    public var isJPEG: Bool { self == .mjpeg || self == .jpeg }

    /// `true` for raw Bayer formats (FourCC starting with "BA", "BG", "GB", "GR", "RG", or "pBAA"-style packed),
    /// which a camera doctor flags as needing an ISP (e.g. a Raspberry Pi CSI sensor node).
    public var isBayer: Bool {
        let code = fourCC
        let prefixes = [
            "BA81", "GBRG", "GRBG", "RGGB", "BG1", "GB1", "BA1", "RG1", "pBA", "pGA", "pgA", "pRA", "pBC",
            "pGC", "pgC", "pRC", "BYR", "SBGG", "SGBR", "SGRB", "SRGG",
        ]
        return prefixes.contains { code.hasPrefix($0) }
    }

    /// The FourCC code, e.g. `"YUYV"`.
    public var description: String { fourCC }

    /// Parses `mjpeg`, `yuyv`, `grey`/`gray`, `rgb24`, or any four-character code.
    ///
    /// - Returns: `nil` for an unknown name.
    public init?(name: String) {
        switch name.lowercased() {
        case "mjpeg", "mjpg": self = .mjpeg
        case "jpeg": self = .jpeg
        case "yuyv": self = .yuyv
        case "grey", "gray": self = .grey
        case "rgb24", "rgb3": self = .rgb24
        default:
            guard name.utf8.count == 4, name.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
            self.init(fourCC: name)
        }
    }
}
