/// What `perch camera doctor` found: the video devices, and optionally a short capture check.
public struct DoctorReport: Sendable, Equatable, Codable {
    /// One video node.
    public struct Device: Sendable, Equatable, Codable {
        /// Path, e.g. `/dev/video0`.
        public var path: String
        /// Driver, card and bus (empty when the node could not be queried).
        public var driver: String
        /// Card name.
        public var card: String
        /// Bus info.
        public var busInfo: String
        /// Single-planar video capture with streaming.
        public var isCapture: Bool
        /// Capture formats with their sizes and intervals.
        public var formats: [Format]
        /// Every capture format is raw Bayer (e.g. a Raspberry Pi CSI sensor node behind libcamera).
        public var isRawBayer: Bool
        /// Why the node could not be opened or queried.
        public var error: String?
        /// Advice for the user.
        public var advice: [String]
    }

    /// One capture format.
    public struct Format: Sendable, Equatable, Codable {
        /// FourCC, e.g. `"MJPG"`.
        public var fourCC: String
        /// Driver description.
        public var description: String
        /// Compressed (MJPEG).
        public var compressed: Bool
        /// Emulated by libv4lconvert.
        public var emulated: Bool
        /// Sizes with their frame rates, e.g. `"640x480 @ 30, 15 fps"`, or a stepwise range.
        public var sizes: [String]
    }

    /// The capture check.
    public struct CaptureCheck: Sendable, Equatable, Codable {
        /// Source string.
        public var source: String
        /// Granted format, e.g. `"YUYV 640x480"` (V4L2 only).
        public var format: String?
        /// Frames captured.
        public var frames: Int
        /// Frames that failed (corrupt, timeouts).
        public var errors: Int
        /// Mean brightness (0...255) of each frame.
        public var meanBrightness: [Double]
        /// Brightness stopped changing (auto-exposure settled) within the warm-up.
        public var settled: Bool
        /// Frames needed to settle.
        public var settledAfter: Int?
        /// The last frame's mean is below 16.
        public var black: Bool
        /// The last frame's mean is above 240.
        public var saturated: Bool
        /// Every frame was byte-identical to the one before.
        public var frozen: Bool
        /// The first error, if any.
        public var firstError: String?
    }

    /// Devices found under `/dev`.
    public var devices: [Device]
    /// The capture check, when one ran.
    public var capture: CaptureCheck?
    /// Problems overall (empty = healthy).
    public var problems: [String]
}

extension DoctorReport {
    /// Human-readable rendering.
    public var text: String {
        var lines: [String] = []
        if devices.isEmpty { lines.append("No /dev/video* devices found.") }
        for d in devices {
            var head = "\(d.path): "
            if let error = d.error {
                head += "cannot query (\(error))"
            } else {
                head +=
                    "driver \(d.driver), card \"\(d.card)\", bus \(d.busInfo)\(d.isCapture ? "" : " (not a capture node)")"
            }
            lines.append(head)
            for f in d.formats {
                let flags = [f.compressed ? "compressed" : nil, f.emulated ? "emulated" : nil].compactMap { $0 }
                lines.append(
                    "  \(f.fourCC) \(f.description)\(flags.isEmpty ? "" : " [" + flags.joined(separator: ", ") + "]")")
                for s in f.sizes { lines.append("    \(s)") }
            }
            for a in d.advice { lines.append("  ! \(a)") }
        }
        if let c = capture {
            lines.append("Capture check: \(c.source)\(c.format.map { " (" + $0 + ")" } ?? "")")
            lines.append("  frames \(c.frames), errors \(c.errors)\(c.firstError.map { " (first: " + $0 + ")" } ?? "")")
            if let last = c.meanBrightness.last {
                let mean = (last * 10).rounded() / 10
                lines.append(
                    "  mean brightness \(mean); "
                        + (c.settled ? "settled after \(c.settledAfter ?? 0) frames" : "did not settle"))
            }
        }
        lines.append(problems.isEmpty ? "OK: no problems found." : "Problems:")
        for p in problems { lines.append("  - \(p)") }
        return lines.joined(separator: "\n")
    }
}
