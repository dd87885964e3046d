/// Metadata of one captured frame; its bytes are lent next to it as a `Span<UInt8>` for the duration of a closure.
public struct Frame: Sendable, Equatable {
    /// Pixel format of the bytes.
    public var format: PixelFormat
    /// Width in pixels (0 when unknown, e.g. a JPEG whose header was not read yet).
    public var width: Int
    /// Height in pixels (0 when unknown).
    public var height: Int
    /// Bytes per row for raw formats (0 for JPEG).
    public var bytesPerLine: Int
    /// Frames delivered by this source so far, starting at 0; never repeats, never goes back.
    public var sequence: UInt64
    /// The driver's sequence number (`v4l2_buffer.sequence`), when the source has one; gaps mean drops.
    public var deviceSequence: UInt32?
    #if !hasFeature(Embedded)
        /// When the source handed out the frame.
        ///
        /// Not in Embedded builds (the ARM cross-build of the preprocessing): those targets have no `_Concurrency`
        /// module, hence no `ContinuousClock`.
        public var timestamp: ContinuousClock.Instant
    #endif

    #if hasFeature(Embedded)
        /// Creates frame metadata (Embedded builds: no timestamp).
        public init(
            format: PixelFormat,
            width: Int,
            height: Int,
            bytesPerLine: Int,
            sequence: UInt64,
            deviceSequence: UInt32? = nil
        ) {
            self.format = format
            self.width = width
            self.height = height
            self.bytesPerLine = bytesPerLine
            self.sequence = sequence
            self.deviceSequence = deviceSequence
        }
    #else
        /// Creates frame metadata.
        public init(
            format: PixelFormat,
            width: Int,
            height: Int,
            bytesPerLine: Int,
            sequence: UInt64,
            deviceSequence: UInt32? = nil,
            timestamp: ContinuousClock.Instant = .now
        ) {
            self.format = format
            self.width = width
            self.height = height
            self.bytesPerLine = bytesPerLine
            self.sequence = sequence
            self.deviceSequence = deviceSequence
            self.timestamp = timestamp
        }
    #endif
}

/// Counters every source keeps (for metrics and the camera doctor).
public struct SourceStatistics: Sendable, Equatable {
    /// Frames handed to callers.
    public var delivered: UInt64 = 0
    /// Frames skipped because their data was unusable (corrupt JPEG, short buffer, `V4L2_BUF_FLAG_ERROR`).
    public var skipped: UInt64 = 0
    /// Frames the driver dropped, from gaps in its sequence numbers.
    public var dropped: UInt64 = 0
    /// Times the device or producer was (re)opened after a failure.
    public var reopens: UInt64 = 0
    /// Bytes discarded while resynchronising an MJPEG stream.
    public var discardedBytes: UInt64 = 0

    /// All zero.
    public init() {}
}

/// A source of camera frames: `v4l2:`, `pipe:`, `file:` or `dir:` (see ``FrameSources/open(_:options:)``).
///
/// Frames are lent, never stored: the bytes are valid only inside the closure, and the source reuses its
/// buffers, so steady-state capture does not allocate.
public protocol FrameSource: AnyObject {
    /// The source string it was opened from, e.g. `v4l2:/dev/video0`.
    var name: String { get }
    /// Counters since the source was created.
    var statistics: SourceStatistics { get }
    /// Waits for the next frame and lends it to `body`.
    ///
    /// - Throws: ``CaptureError``; after ``CaptureError/deviceLost(path:errno:)``,
    ///   ``CaptureError/stalled(source:milliseconds:)`` or ``CaptureError/producerExited(command:status:)``
    ///   the next call reopens with backoff.
    func withNextFrame<R>(_ body: (Frame, Span<UInt8>) throws(CaptureError) -> R) throws(CaptureError) -> R
}
