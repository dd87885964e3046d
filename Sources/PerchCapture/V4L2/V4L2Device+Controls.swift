import CV4L2
import SystemPackage

extension V4L2Device {
    /// One user control (`struct v4l2_queryctrl`).
    public struct Control: Sendable, Equatable {
        /// Control id (`V4L2_CID_*` or a driver-private id).
        public var id: UInt32
        /// Name, e.g. `"Brightness"` or vivid's `"OSD Text Mode"`.
        public var name: String
        /// Minimum value.
        public var minimum: Int32
        /// Maximum value.
        public var maximum: Int32
        /// Step.
        public var step: Int32
        /// Default value.
        public var defaultValue: Int32
        /// `V4L2_CTRL_FLAG_DISABLED`.
        public var isDisabled: Bool
    }

    /// Lists the controls (`VIDIOC_QUERYCTRL` with `V4L2_CTRL_FLAG_NEXT_CTRL`).
    ///
    /// - Throws: `Errno` other than the terminating `EINVAL`.
    public func controls(retryOnInterrupt: Bool = true) throws(Errno) -> [Control] {
        var result: [Control] = []
        var raw = v4l2_queryctrl()
        raw.id = CV4L2_CTRL_FLAG_NEXT_CTRL
        for _ in 0..<1024 {
            do {
                try ioctl(CV4L2_VIDIOC_QUERYCTRL, &raw, retryOnInterrupt: retryOnInterrupt)
            } catch .invalidArgument {
                break
            }
            result.append(
                Control(
                    id: raw.id, name: stringFromCTuple(raw.name), minimum: raw.minimum, maximum: raw.maximum,
                    step: raw.step, defaultValue: raw.default_value,
                    isDisabled: raw.flags & CV4L2_CTRL_FLAG_DISABLED != 0
                )
            )
            raw.id |= CV4L2_CTRL_FLAG_NEXT_CTRL
        }
        return result
    }

    /// Reads a control's value (`VIDIOC_G_CTRL`).
    ///
    /// - Throws: `Errno`, `EINVAL` for an unknown id.
    public func controlValue(id: UInt32, retryOnInterrupt: Bool = true) throws(Errno) -> Int32 {
        var raw = v4l2_control(id: id, value: 0)
        try ioctl(CV4L2_VIDIOC_G_CTRL, &raw, retryOnInterrupt: retryOnInterrupt)
        return raw.value
    }

    /// Sets a control's value (`VIDIOC_S_CTRL`).
    ///
    /// - Throws: `Errno`, `EINVAL` for an unknown id, `ERANGE` for a value out of range.
    public func setControlValue(_ value: Int32, id: UInt32, retryOnInterrupt: Bool = true) throws(Errno) {
        var raw = v4l2_control(id: id, value: value)
        try ioctl(CV4L2_VIDIOC_S_CTRL, &raw, retryOnInterrupt: retryOnInterrupt)
    }
}
