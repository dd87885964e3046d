import SystemPackage

/// MJPEG frames from a child process's stdout (`pipe:COMMAND`), split on JPEG markers.
///
/// This is how a Raspberry Pi CSI camera is used on current Raspberry Pi OS:
/// `pipe:rpicam-vid -t 0 --codec mjpeg --width 640 --height 480 -o -`. (The CSI `/dev/video0` there is a raw Bayer
/// node behind libcamera, with no auto-exposure; do not open it with `v4l2:`.)
/// The command runs under `/bin/sh -c` in its own process group. When it exits or stalls, the call throws once
/// and the next call restarts it after an exponential backoff.
public final class PipeSource: FrameSource {
    /// The shell command.
    public let command: String
    /// A frame must arrive within this time, else the producer is restarted.
    public let timeoutMilliseconds: Int
    /// `pipe:` + command.
    public var name: String { "pipe:" + command }
    /// Counters.
    public private(set) var statistics = SourceStatistics()
    /// Restart policy.
    public var backoff = Backoff()

    private var pid: Int32?
    private var stdout: CInt = -1
    private var splitter = MJPEGStreamSplitter()
    private var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    private var everStarted = false
    private let decoder = JPEGDecoder()

    /// Starts the command.
    ///
    /// - Throws: ``CaptureError/producerFailedToStart(command:)``.
    public init(command: String, timeoutMilliseconds: Int = 5000) throws(CaptureError) {
        self.command = command
        self.timeoutMilliseconds = timeoutMilliseconds
        try start()
    }

    deinit {
        stop()
    }

    private func start() throws(CaptureError) {
        switch system_spawnShell(command) {
        case .success(let child):
            pid = child.pid
            stdout = child.stdout
            splitter = MJPEGStreamSplitter()
            if everStarted { statistics.reopens += 1 }
            everStarted = true
        case .failure:
            throw .producerFailedToStart(command: command)
        }
    }

    /// Stops the producer (SIGTERM to its process group, then SIGKILL) and returns its exit status.
    @discardableResult
    public func stop() -> Int32? {
        if stdout >= 0 {
            _ = system_close(stdout)
            stdout = -1
        }
        guard let pid else { return nil }
        self.pid = nil
        return system_terminateProcessGroup(pid)
    }

    /// Reads until one complete JPEG is buffered and lends it to `body` (format ``PixelFormat/mjpeg``, with the
    /// size from its header).
    ///
    /// - Throws: ``CaptureError/producerExited(command:status:)`` at EOF, ``CaptureError/stalled(source:milliseconds:)``
    ///   on timeout, ``CaptureError/io(path:errno:)``; the next call restarts the producer after the backoff.
    public func withNextFrame<R>(_ body: (Frame, Span<UInt8>) throws(CaptureError) -> R) throws(CaptureError) -> R {
        if pid == nil {
            backoff.wait()
            do { try start() } catch {
                backoff.recordFailure()
                throw error
            }
        }
        let deadline = ContinuousClock.now + .milliseconds(timeoutMilliseconds)
        while true {
            let before = splitter.discardedBytes
            let sequence = statistics.delivered
            let decoder = self.decoder
            let lent: Result<R, CaptureError>? = splitter.nextImage { jpeg in
                let header = try? decoder.readHeader(jpeg)
                let frame = Frame(
                    format: .mjpeg, width: header?.width ?? 0, height: header?.height ?? 0, bytesPerLine: 0,
                    sequence: sequence)
                do throws(CaptureError) { return .success(try body(frame, jpeg)) } catch { return .failure(error) }
            }
            statistics.discardedBytes += UInt64(splitter.discardedBytes - before)
            if let lent {
                statistics.delivered += 1
                backoff.reset()
                return try lent.get()
            }
            let remaining = deadline - ContinuousClock.now
            let ms = Int(remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000)
            guard ms > 0 else {
                stop()
                backoff.recordFailure()
                throw .stalled(source: name, milliseconds: timeoutMilliseconds)
            }
            let fd = stdout
            let ready: Bool
            do {
                ready = try FileDescriptor(rawValue: fd).waitReadable(timeoutMilliseconds: ms)
            } catch {
                stop()
                backoff.recordFailure()
                throw .io(path: name, errno: error)
            }
            if !ready { continue }
            let n = system_read(fd, into: &chunk, offset: 0, count: chunk.count)
            if n > 0 {
                splitter.append(chunk, count: n)
            } else if n == 0 {
                let status = stop() ?? -1
                backoff.recordFailure()
                throw .producerExited(command: command, status: status)
            } else {
                let error = Errno(rawValue: system_errno)
                if error == .interrupted || error == .resourceTemporarilyUnavailable { continue }
                stop()
                backoff.recordFailure()
                throw .io(path: name, errno: error)
            }
        }
    }
}

extension FileDescriptor {
    /// `poll(POLLIN)` with EINTR retried; `true` when readable or at EOF/hang-up.
    func waitReadable(timeoutMilliseconds: Int) throws(Errno) -> Bool {
        while true {
            let (result, revents) = system_poll(rawValue, events: 0x001, timeoutMilliseconds: CInt(timeoutMilliseconds))
            if result == -1 {
                let error = Errno(rawValue: system_errno)
                if error == .interrupted { continue }
                throw error
            }
            return result > 0 && revents != 0
        }
    }
}
