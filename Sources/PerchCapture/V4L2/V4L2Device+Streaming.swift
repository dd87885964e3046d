import CV4L2
import SystemPackage

extension V4L2Device {
    /// A dequeued buffer's metadata (`struct v4l2_buffer`).
    public struct DequeuedBuffer: Sendable, Equatable {
        /// Buffer index, to re-queue with ``queueBuffer(index:retryOnInterrupt:)``.
        public var index: Int
        /// `bytesused` as the driver reports it. Do not trust it blindly for MJPEG: some drivers report the
        /// whole buffer.
        public var bytesUsed: Int
        /// The driver's frame sequence number; gaps mean dropped frames.
        public var sequence: UInt32
        /// `V4L2_BUF_FLAG_ERROR`: the frame data may be corrupt.
        public var hasError: Bool
        /// Capture timestamp in microseconds (driver clock, usually monotonic).
        public var timestampMicroseconds: Int64
    }

    /// Requests `count` mmap buffers (`VIDIOC_REQBUFS`, `V4L2_MEMORY_MMAP`); 0 frees them.
    ///
    /// - Returns: the number of buffers granted.
    /// - Throws: `Errno`.
    public func requestBuffers(count: Int, retryOnInterrupt: Bool = true) throws(Errno) -> Int {
        var raw = v4l2_requestbuffers()
        raw.count = UInt32(count)
        raw.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
        raw.memory = V4L2_MEMORY_MMAP.rawValue
        try ioctl(CV4L2_VIDIOC_REQBUFS, &raw, retryOnInterrupt: retryOnInterrupt)
        return Int(raw.count)
    }

    /// Maps buffer `index` (`VIDIOC_QUERYBUF` then `v4l2_mmap`).
    ///
    /// - Throws: `Errno`.
    func mapBuffer(index: Int, retryOnInterrupt: Bool = true) throws(Errno) -> MappedBuffer {
        var raw = v4l2_buffer()
        raw.index = UInt32(index)
        raw.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
        raw.memory = V4L2_MEMORY_MMAP.rawValue
        try ioctl(CV4L2_VIDIOC_QUERYBUF, &raw, retryOnInterrupt: retryOnInterrupt)
        return try MappedBuffer(
            fileDescriptor: fileDescriptor.rawValue, length: Int(raw.length), offset: Int64(raw.m.offset))
    }

    /// Gives buffer `index` back to the driver (`VIDIOC_QBUF`).
    ///
    /// - Throws: `Errno`.
    public func queueBuffer(index: Int, retryOnInterrupt: Bool = true) throws(Errno) {
        var raw = v4l2_buffer()
        raw.index = UInt32(index)
        raw.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
        raw.memory = V4L2_MEMORY_MMAP.rawValue
        try ioctl(CV4L2_VIDIOC_QBUF, &raw, retryOnInterrupt: retryOnInterrupt)
    }

    /// Takes a filled buffer from the driver (`VIDIOC_DQBUF`).
    ///
    /// - Returns: `nil` when none is ready (`EAGAIN` on a non-blocking descriptor).
    /// - Throws: `Errno`, e.g. ``Errno.operationNotSupportedByDevice`` when the camera went away.
    public func dequeueBuffer(retryOnInterrupt: Bool = true) throws(Errno) -> DequeuedBuffer? {
        var raw = v4l2_buffer()
        raw.type = V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue
        raw.memory = V4L2_MEMORY_MMAP.rawValue
        do {
            try ioctl(CV4L2_VIDIOC_DQBUF, &raw, retryOnInterrupt: retryOnInterrupt)
        } catch .resourceTemporarilyUnavailable {
            return nil
        }
        return DequeuedBuffer(
            index: Int(raw.index),
            bytesUsed: Int(raw.bytesused),
            sequence: raw.sequence,
            hasError: raw.flags & CV4L2_BUF_FLAG_ERROR != 0,
            timestampMicroseconds: Int64(raw.timestamp.tv_sec) * 1_000_000 + Int64(raw.timestamp.tv_usec)
        )
    }

    /// Starts streaming (`VIDIOC_STREAMON`).
    ///
    /// - Throws: `Errno`.
    public func streamOn(retryOnInterrupt: Bool = true) throws(Errno) {
        var type = CInt(V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue)
        try ioctl(CV4L2_VIDIOC_STREAMON, &type, retryOnInterrupt: retryOnInterrupt)
    }

    /// Stops streaming and returns all buffers to the application (`VIDIOC_STREAMOFF`).
    ///
    /// - Throws: `Errno`.
    public func streamOff(retryOnInterrupt: Bool = true) throws(Errno) {
        var type = CInt(V4L2_BUF_TYPE_VIDEO_CAPTURE.rawValue)
        try ioctl(CV4L2_VIDIOC_STREAMOFF, &type, retryOnInterrupt: retryOnInterrupt)
    }
}
