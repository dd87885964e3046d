import CV4L2
import SystemPackage

extension V4L2Device {
    /// Driver identity and capability flags (`struct v4l2_capability`).
    public struct Capability: Sendable, Equatable {
        /// Driver name, e.g. `"vivid"` or `"uvcvideo"`.
        public var driver: String
        /// Card name, e.g. `"vivid"`.
        public var card: String
        /// Bus info, e.g. `"platform:vivid-000"`.
        public var busInfo: String
        /// Kernel version of the driver, `KERNEL_VERSION` encoded.
        public var version: UInt32
        /// Capabilities of the whole physical device.
        public var capabilities: Capabilities
        /// Capabilities of this node (`device_caps` when `V4L2_CAP_DEVICE_CAPS` is set, else `capabilities`).
        public var deviceCapabilities: Capabilities

        init(_ raw: v4l2_capability) {
            driver = stringFromCTuple(raw.driver)
            card = stringFromCTuple(raw.card)
            busInfo = stringFromCTuple(raw.bus_info)
            version = raw.version
            capabilities = Capabilities(rawValue: raw.capabilities)
            deviceCapabilities =
                capabilities.contains(.deviceCapabilities) ? Capabilities(rawValue: raw.device_caps) : capabilities
        }

        /// The driver version as `"major.minor.patch"`.
        public var versionString: String { "\(version >> 16).\((version >> 8) & 0xFF).\(version & 0xFF)" }
    }

    /// Capability flags (`V4L2_CAP_*`).
    public struct Capabilities: OptionSet, Sendable, Hashable {
        /// The raw `V4L2_CAP_*` bits.
        public var rawValue: UInt32
        /// Wraps raw bits.
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        /// `V4L2_CAP_VIDEO_CAPTURE`: single-planar capture.
        public static let videoCapture = Capabilities(rawValue: CV4L2_CAP_VIDEO_CAPTURE)
        /// `V4L2_CAP_VIDEO_CAPTURE_MPLANE`: multi-planar capture (not supported by ``V4L2Source``).
        public static let videoCaptureMultiplanar = Capabilities(rawValue: CV4L2_CAP_VIDEO_CAPTURE_MPLANE)
        /// `V4L2_CAP_VIDEO_OUTPUT`.
        public static let videoOutput = Capabilities(rawValue: CV4L2_CAP_VIDEO_OUTPUT)
        /// `V4L2_CAP_META_CAPTURE`: a metadata node, not images.
        public static let metaCapture = Capabilities(rawValue: CV4L2_CAP_META_CAPTURE)
        /// `V4L2_CAP_READWRITE`.
        public static let readWrite = Capabilities(rawValue: CV4L2_CAP_READWRITE)
        /// `V4L2_CAP_STREAMING`: mmap/userptr streaming I/O.
        public static let streaming = Capabilities(rawValue: CV4L2_CAP_STREAMING)
        /// `V4L2_CAP_DEVICE_CAPS`: `device_caps` is valid.
        public static let deviceCapabilities = Capabilities(rawValue: CV4L2_CAP_DEVICE_CAPS)
    }

    /// Queries driver identity and capability flags.
    ///
    /// The corresponding C call is `ioctl(fd, VIDIOC_QUERYCAP, &v4l2_capability)`.
    /// - Throws: `Errno`, e.g. ``Errno/inappropriateIOCTLForDevice`` for a non-V4L2 node.
    public func queryCapability(retryOnInterrupt: Bool = true) throws(Errno) -> Capability {
        var raw = v4l2_capability()
        try ioctl(CV4L2_VIDIOC_QUERYCAP, &raw, retryOnInterrupt: retryOnInterrupt)
        return Capability(raw)
    }
}
