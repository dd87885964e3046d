import CV4L2
import SystemPackage

extension V4L2Device {
    /// One entry of `VIDIOC_ENUM_FMT` (`struct v4l2_fmtdesc`).
    public struct FormatDescription: Sendable, Equatable {
        /// The pixel format.
        public var pixelFormat: PixelFormat
        /// The driver's description, e.g. `"Motion-JPEG"`.
        public var description: String
        /// `V4L2_FMT_FLAG_COMPRESSED`.
        public var isCompressed: Bool
        /// `V4L2_FMT_FLAG_EMULATED`: produced by libv4lconvert, not by the driver.
        public var isEmulated: Bool
    }

    /// A frame size from `VIDIOC_ENUM_FRAMESIZES`.
    public enum FrameSize: Sendable, Equatable {
        /// One size.
        case discrete(width: Int, height: Int)
        /// A range (`V4L2_FRMSIZE_TYPE_STEPWISE` or `_CONTINUOUS`, where the steps are 1).
        case stepwise(minWidth: Int, maxWidth: Int, stepWidth: Int, minHeight: Int, maxHeight: Int, stepHeight: Int)
    }

    /// A frame interval (seconds per frame) as a fraction, e.g. 1/30.
    public struct Fraction: Sendable, Equatable, CustomStringConvertible {
        /// Numerator.
        public var numerator: UInt32
        /// Denominator.
        public var denominator: UInt32
        /// Creates `numerator/denominator`.
        public init(numerator: UInt32, denominator: UInt32) {
            self.numerator = numerator
            self.denominator = denominator
        }
        /// Frames per second this interval means (0 when undefined).
        public var framesPerSecond: Double { numerator == 0 ? 0 : Double(denominator) / Double(numerator) }
        /// `"1/30"`.
        public var description: String { "\(numerator)/\(denominator)" }
    }

    /// A frame interval from `VIDIOC_ENUM_FRAMEINTERVALS`.
    public enum FrameInterval: Sendable, Equatable {
        /// One interval.
        case discrete(Fraction)
        /// A range of intervals.
        case stepwise(min: Fraction, max: Fraction, step: Fraction)
    }

    /// The format the driver actually granted (`struct v4l2_pix_format`).
    public struct Format: Sendable, Equatable {
        /// Pixel format.
        public var pixelFormat: PixelFormat
        /// Width in pixels.
        public var width: Int
        /// Height in pixels.
        public var height: Int
        /// Bytes per row (0 for compressed formats).
        public var bytesPerLine: Int
        /// Maximum bytes per frame.
        public var sizeImage: Int
    }

    /// Lists the capture formats (`VIDIOC_ENUM_FMT` on `V4L2_BUF_TYPE_VIDEO_CAPTURE`, index 0, 1, … until `EINVAL`).
    ///
    /// - Throws: `Errno` other than the terminating `EINVAL`.
    public func formats(retryOnInterrupt: Bool = true) throws(Errno) -> [FormatDescription] {
        var result: [FormatDescription] = []
        for index in UInt32(0)..<256 {
            var raw = v4l2_fmtdesc()
            raw.index = index
            raw.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
            do {
                try ioctl(CV4L2_VIDIOC_ENUM_FMT, &raw, retryOnInterrupt: retryOnInterrupt)
            } catch .invalidArgument {
                break
            }
            result.append(
                FormatDescription(
                    pixelFormat: PixelFormat(rawValue: raw.pixelformat),
                    description: stringFromCTuple(raw.description),
                    isCompressed: raw.flags & CV4L2_FMT_FLAG_COMPRESSED != 0,
                    isEmulated: raw.flags & CV4L2_FMT_FLAG_EMULATED != 0
                )
            )
        }
        return result
    }

    /// Lists the frame sizes of `pixelFormat` (`VIDIOC_ENUM_FRAMESIZES`).
    ///
    /// - Throws: `Errno` other than the terminating `EINVAL`.
    public func frameSizes(for pixelFormat: PixelFormat, retryOnInterrupt: Bool = true) throws(Errno) -> [FrameSize] {
        var result: [FrameSize] = []
        for index in UInt32(0)..<256 {
            var raw = v4l2_frmsizeenum()
            raw.index = index
            raw.pixel_format = pixelFormat.rawValue
            do {
                try ioctl(CV4L2_VIDIOC_ENUM_FRAMESIZES, &raw, retryOnInterrupt: retryOnInterrupt)
            } catch .invalidArgument {
                break
            }
            if raw.type == V4L2_FRMSIZE_TYPE_DISCRETE.rawValue {
                result.append(.discrete(width: Int(raw.discrete.width), height: Int(raw.discrete.height)))
            } else {
                let s = raw.stepwise
                result.append(
                    .stepwise(
                        minWidth: Int(s.min_width), maxWidth: Int(s.max_width), stepWidth: Int(s.step_width),
                        minHeight: Int(s.min_height), maxHeight: Int(s.max_height), stepHeight: Int(s.step_height)
                    )
                )
                break
            }
        }
        return result
    }

    /// Lists the frame intervals of `pixelFormat` at `width`×`height` (`VIDIOC_ENUM_FRAMEINTERVALS`).
    ///
    /// - Throws: `Errno` other than the terminating `EINVAL`.
    public func frameIntervals(
        for pixelFormat: PixelFormat,
        width: Int,
        height: Int,
        retryOnInterrupt: Bool = true
    ) throws(Errno) -> [FrameInterval] {
        var result: [FrameInterval] = []
        for index in UInt32(0)..<256 {
            var raw = v4l2_frmivalenum()
            raw.index = index
            raw.pixel_format = pixelFormat.rawValue
            raw.width = UInt32(width)
            raw.height = UInt32(height)
            do {
                try ioctl(CV4L2_VIDIOC_ENUM_FRAMEINTERVALS, &raw, retryOnInterrupt: retryOnInterrupt)
            } catch .invalidArgument {
                break
            }
            if raw.type == V4L2_FRMIVAL_TYPE_DISCRETE.rawValue {
                result.append(.discrete(Fraction(raw.discrete)))
            } else {
                let s = raw.stepwise
                result.append(.stepwise(min: Fraction(s.min), max: Fraction(s.max), step: Fraction(s.step)))
                break
            }
        }
        return result
    }

    /// Reads the current capture format (`VIDIOC_G_FMT`).
    ///
    /// - Throws: `Errno`.
    public func format(retryOnInterrupt: Bool = true) throws(Errno) -> Format {
        var raw = v4l2_format()
        raw.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
        try ioctl(CV4L2_VIDIOC_G_FMT, &raw, retryOnInterrupt: retryOnInterrupt)
        return Format(raw.fmt.pix)
    }

    /// Requests a capture format (`VIDIOC_S_FMT`) and returns what the driver granted.
    ///
    /// Drivers adjust instead of failing: vivid answers a request for MJPEG with YUYV. Always compare the
    /// returned ``Format`` with the request.
    /// - Throws: `Errno`, e.g. `EBUSY` while streaming.
    /// - Parameter output: set the format of the node's video *output* queue instead
    ///   (`V4L2_BUF_TYPE_VIDEO_OUTPUT`; a v4l2loopback producer does this before writing frames).
    public func setFormat(
        _ pixelFormat: PixelFormat,
        width: Int,
        height: Int,
        output: Bool = false,
        sizeImage: Int = 0,
        retryOnInterrupt: Bool = true
    ) throws(Errno) -> Format {
        var raw = v4l2_format()
        raw.type = (output ? V4L2_BUF_TYPE_VIDEO_OUTPUT : V4L2_BUF_TYPE_VIDEO_CAPTURE).rawValue
        raw.fmt.pix.sizeimage = UInt32(sizeImage)
        raw.fmt.pix.width = UInt32(width)
        raw.fmt.pix.height = UInt32(height)
        raw.fmt.pix.pixelformat = pixelFormat.rawValue
        raw.fmt.pix.field = V4L2_FIELD_NONE.rawValue
        try ioctl(CV4L2_VIDIOC_S_FMT, &raw, retryOnInterrupt: retryOnInterrupt)
        return Format(raw.fmt.pix)
    }

    /// Reads the capture frame interval (`VIDIOC_G_PARM`).
    ///
    /// - Returns: `nil` when the driver does not support `V4L2_CAP_TIMEPERFRAME`.
    /// - Throws: `Errno`.
    public func frameInterval(retryOnInterrupt: Bool = true) throws(Errno) -> Fraction? {
        var raw = v4l2_streamparm()
        raw.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
        try ioctl(CV4L2_VIDIOC_G_PARM, &raw, retryOnInterrupt: retryOnInterrupt)
        guard raw.parm.capture.capability & CV4L2_CAP_TIMEPERFRAME != 0 else { return nil }
        return Fraction(raw.parm.capture.timeperframe)
    }

    /// Requests a frame interval (`VIDIOC_S_PARM`) and returns the one granted.
    ///
    /// vivid's default is 1/5 s: set the rate before streaming, or every frame takes 200 ms.
    /// - Throws: `Errno`.
    public func setFrameInterval(_ interval: Fraction, retryOnInterrupt: Bool = true) throws(Errno) -> Fraction {
        var raw = v4l2_streamparm()
        raw.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
        raw.parm.capture.timeperframe = v4l2_fract(numerator: interval.numerator, denominator: interval.denominator)
        try ioctl(CV4L2_VIDIOC_S_PARM, &raw, retryOnInterrupt: retryOnInterrupt)
        return Fraction(raw.parm.capture.timeperframe)
    }
}

extension V4L2Device.Fraction {
    init(_ raw: v4l2_fract) { self.init(numerator: raw.numerator, denominator: raw.denominator) }
}

extension V4L2Device.Format {
    init(_ pix: v4l2_pix_format) {
        self.init(
            pixelFormat: PixelFormat(rawValue: pix.pixelformat),
            width: Int(pix.width),
            height: Int(pix.height),
            bytesPerLine: Int(pix.bytesperline),
            sizeImage: Int(pix.sizeimage)
        )
    }
}
