import SystemPackage

/// Frames from a V4L2 capture node (`v4l2:/dev/videoN`) through libv4l2 and mmap streaming.
///
/// Opening negotiates the format (S_FMT, checking what the driver granted), the frame rate (S_PARM), maps
/// buffers and starts streaming. A camera that disappears or stalls throws once
/// (``CaptureError/deviceLost(path:errno:)`` / ``CaptureError/stalled(source:milliseconds:)``); the next call
/// reopens it after an exponential backoff, so a caller looping on errors never spins.
public final class V4L2Source: FrameSource {
    /// What to ask the driver for.
    public struct Configuration: Sendable, Equatable {
        /// Device node, e.g. `/dev/video0`.
        public var path: String
        /// Requested pixel format.
        public var pixelFormat: PixelFormat
        /// Requested width.
        public var width: Int
        /// Requested height.
        public var height: Int
        /// Requested frame rate (S_PARM); `nil` keeps the driver's (vivid's default is only 5 fps).
        public var framesPerSecond: Int?
        /// mmap buffers to request.
        public var bufferCount: Int
        /// A frame must arrive within this time, else the stream counts as stalled.
        public var timeoutMilliseconds: Int
        /// Throw ``CaptureError/formatNotGranted(requested:granted:)`` if the driver substitutes another format
        /// (otherwise the granted format is used, if the pipeline can convert it).
        public var requireExactFormat: Bool
        /// Sets a control by name after opening, e.g. `["OSD Text Mode": 2]` for byte-identical vivid frames.
        public var controls: [String: Int32]

        /// Creates a configuration.
        public init(
            path: String,
            pixelFormat: PixelFormat = .mjpeg,
            width: Int = 640,
            height: Int = 480,
            framesPerSecond: Int? = 30,
            bufferCount: Int = 4,
            timeoutMilliseconds: Int = 2000,
            requireExactFormat: Bool = false,
            controls: [String: Int32] = [:]
        ) {
            self.path = path
            self.pixelFormat = pixelFormat
            self.width = width
            self.height = height
            self.framesPerSecond = framesPerSecond
            self.bufferCount = bufferCount
            self.timeoutMilliseconds = timeoutMilliseconds
            self.requireExactFormat = requireExactFormat
            self.controls = controls
        }
    }

    /// The configuration.
    public let configuration: Configuration
    /// `v4l2:` + path.
    public var name: String { "v4l2:" + configuration.path }
    /// Counters.
    public private(set) var statistics = SourceStatistics()
    /// The format granted at the last open (`nil` before the first open).
    public private(set) var grantedFormat: V4L2Device.Format?
    /// The frame interval granted at the last open.
    public private(set) var grantedInterval: V4L2Device.Fraction?
    /// The driver's capability at the last open.
    public private(set) var capability: V4L2Device.Capability?
    /// Reopen policy.
    public var backoff = Backoff()

    private var device: V4L2Device?
    private var buffers: [MappedBuffer] = []
    private var lastDeviceSequence: UInt32?
    private var everOpened = false

    /// Creates the source and opens the device now, so configuration errors surface at once.
    ///
    /// - Throws: ``CaptureError``.
    public init(_ configuration: Configuration) throws(CaptureError) {
        self.configuration = configuration
        try open()
    }

    deinit {
        tearDown()
    }

    /// Whether the device is currently open and streaming.
    public var isStreaming: Bool { device != nil }

    private func open() throws(CaptureError) {
        let path = configuration.path
        func fail(_ op: String, _ e: Errno) -> CaptureError { .device(path: path, operation: op, errno: e) }
        let device: V4L2Device
        do { device = try V4L2Device(path: path) } catch { throw fail("open", error) }
        let cap: V4L2Device.Capability
        do { cap = try device.queryCapability() } catch { throw fail("VIDIOC_QUERYCAP", error) }
        guard cap.deviceCapabilities.contains(.videoCapture), cap.deviceCapabilities.contains(.streaming) else {
            throw .notACaptureDevice(path: path)
        }
        for (name, value) in configuration.controls.sorted(by: { $0.key < $1.key }) {
            do {
                guard let control = try device.controls().first(where: { $0.name == name }) else {
                    throw CaptureError.invalidSource("no control named \(name) on \(path)")
                }
                try device.setControlValue(value, id: control.id)
            } catch let error as Errno {
                throw fail("VIDIOC_S_CTRL", error)
            } catch let error as CaptureError {
                throw error
            } catch {
                throw .invalidSource("\(error)")
            }
        }
        let format: V4L2Device.Format
        do {
            format = try device.setFormat(
                configuration.pixelFormat, width: configuration.width, height: configuration.height)
        } catch { throw fail("VIDIOC_S_FMT", error) }
        if format.pixelFormat != configuration.pixelFormat {
            if configuration.requireExactFormat || !Self.canConvert(format.pixelFormat) {
                throw .formatNotGranted(requested: configuration.pixelFormat, granted: format.pixelFormat)
            }
        }
        var interval: V4L2Device.Fraction? = nil
        if let fps = configuration.framesPerSecond, fps > 0 {
            // Not every driver supports S_PARM (EINVAL/ENOTTY): capture at its own rate then.
            interval = try? device.setFrameInterval(V4L2Device.Fraction(numerator: 1, denominator: UInt32(fps)))
        }
        if interval == nil { interval = (try? device.frameInterval()) ?? nil }
        var buffers: [MappedBuffer] = []
        do throws(Errno) {
            let count = try device.requestBuffers(count: configuration.bufferCount)
            guard count > 0 else { throw Errno.noMemory }
            for index in 0..<count {
                buffers.append(try device.mapBuffer(index: index))
                try device.queueBuffer(index: index)
            }
            try device.streamOn()
        } catch {
            buffers.removeAll()
            throw fail("streaming setup", error)
        }
        self.buffers = buffers
        self.device = consume device
        self.grantedFormat = format
        self.grantedInterval = interval
        self.capability = cap
        self.lastDeviceSequence = nil
        if everOpened { statistics.reopens += 1 }
        everOpened = true
    }

    /// Formats the preprocessing pipeline can convert.
    public static func canConvert(_ format: PixelFormat) -> Bool {
        format.isJPEG || format == .yuyv || format == .grey || format == .rgb24
    }

    /// Stops streaming and closes the device; the next ``withNextFrame(_:)`` reopens it.
    public func tearDown() {
        _ = try? device?.streamOff()
        buffers.removeAll()  // munmap before close
        device = nil
    }

    /// Waits for the next frame and lends it to `body`; the buffer is re-queued afterwards.
    ///
    /// Unusable frames (driver error flag, short raw frame, MJPEG without a complete JPEG) are counted in
    /// ``statistics`` and skipped. No usable frame within the configured timeout counts as a stall.
    /// - Throws: ``CaptureError``.
    public func withNextFrame<R>(_ body: (Frame, Span<UInt8>) throws(CaptureError) -> R) throws(CaptureError) -> R {
        if device == nil {
            backoff.wait()
            do {
                try open()
            } catch {
                backoff.recordFailure()
                throw error
            }
        }
        let path = configuration.path
        let format = grantedFormat!
        // One deadline for the whole call: spurious wake-ups and skipped (unusable) frames cannot keep it
        // looping past the timeout.
        let deadline = ContinuousClock.now + .milliseconds(configuration.timeoutMilliseconds)
        while true {
            let buffer: V4L2Device.DequeuedBuffer
            do {
                let left = deadline - ContinuousClock.now
                let leftMilliseconds = Int(
                    left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000)
                guard leftMilliseconds > 0, try device!.waitForFrame(timeoutMilliseconds: leftMilliseconds) else {
                    tearDown()
                    backoff.recordFailure()
                    throw CaptureError.stalled(source: name, milliseconds: configuration.timeoutMilliseconds)
                }
                guard let dequeued = try device!.dequeueBuffer() else { continue }
                buffer = dequeued
            } catch let error as Errno {
                tearDown()
                backoff.recordFailure()
                throw .deviceLost(path: path, errno: error)
            } catch let error as CaptureError {
                throw error
            } catch {
                fatalError("unreachable: \(error)")
            }
            backoff.reset()
            if let last = lastDeviceSequence, buffer.sequence > last &+ 1 {
                statistics.dropped += UInt64(buffer.sequence - last - 1)
            }
            lastDeviceSequence = buffer.sequence
            let mapped = buffers[buffer.index]
            let frame = Frame(
                format: format.pixelFormat, width: format.width, height: format.height,
                bytesPerLine: format.bytesPerLine, sequence: statistics.delivered, deviceSequence: buffer.sequence)
            let result: Result<R, CaptureError>? = mapped.withBytes(count: mapped.length) { whole in
                // bytesused is not trusted blindly: 0 or the whole buffer is common for MJPEG.
                let used = buffer.bytesUsed > 0 ? min(buffer.bytesUsed, whole.count) : whole.count
                if buffer.hasError { return nil }
                let length: Int
                if format.pixelFormat.isJPEG {
                    guard
                        let n = JPEGMarkerScanner.imageLength(in: whole.extracting(0..<used))
                            ?? JPEGMarkerScanner.imageLength(in: whole)
                    else { return nil }
                    length = n
                } else {
                    let needed =
                        max(format.bytesPerLine, format.width * Self.bytesPerPixel(format.pixelFormat))
                        * format.height
                    guard used >= needed else { return nil }
                    length = needed
                }
                do throws(CaptureError) {
                    return .success(try body(frame, whole.extracting(0..<length)))
                } catch {
                    return .failure(error)
                }
            }
            do {
                try device!.queueBuffer(index: buffer.index)
            } catch {
                tearDown()
                backoff.recordFailure()
                throw .deviceLost(path: path, errno: error)
            }
            guard let result else {
                statistics.skipped += 1
                continue
            }
            statistics.delivered += 1
            return try result.get()
        }
    }

    static func bytesPerPixel(_ format: PixelFormat) -> Int {
        switch format {
        case .yuyv: return 2
        case .rgb24: return 3
        default: return 1
        }
    }
}
