import CV4L2
import Glibc
import SystemPackage

/// An open V4L2 video node, opened with `v4l2_open` so libv4lconvert's format emulation applies.
///
/// The descriptor is closed with `v4l2_close` when the value is consumed or goes out of scope.
/// Every call that can see `EINTR` takes `retryOnInterrupt` (default `true`), as swift-system does.
public struct V4L2Device: ~Copyable {
    /// The device path, e.g. `/dev/video0`.
    public let path: String
    /// The open file descriptor.
    public let fileDescriptor: FileDescriptor

    /// Opens `path` read-write, by default non-blocking (capture then waits with `poll`).
    ///
    /// The corresponding C call is `v4l2_open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC)`.
    /// - Parameters:
    ///   - path: the video node.
    ///   - nonBlocking: open with `O_NONBLOCK`.
    ///   - formatEmulation: open through libv4l2 (`v4l2_open`, the default) so libv4lconvert's emulated formats
    ///     apply; `false` uses plain `open(2)`, e.g. for the output side of a v4l2loopback device, whose
    ///     capture format does not exist until a producer sets one (the producer side is what the plain open is for).
    ///   - retryOnInterrupt: retry on `EINTR`.
    /// - Throws: `Errno`, e.g. ``Errno/noSuchFileOrDirectory`` or ``Errno/permissionDenied``.
    public init(
        path: String,
        nonBlocking: Bool = true,
        formatEmulation: Bool = true,
        retryOnInterrupt: Bool = true
    ) throws(Errno) {
        let flags = O_RDWR | O_CLOEXEC | (nonBlocking ? O_NONBLOCK : 0)
        let fd = try valueOrErrno(retryOnInterrupt: retryOnInterrupt) {
            formatEmulation ? system_v4l2_open(path, flags) : system_open(path, flags)
        }.get()
        self.path = path
        self.fileDescriptor = FileDescriptor(rawValue: fd)
        self.usesLibv4l2 = formatEmulation
    }

    /// Whether the descriptor was opened through libv4l2.
    public let usesLibv4l2: Bool

    deinit {
        _ = usesLibv4l2 ? system_v4l2_close(fileDescriptor.rawValue) : system_close(fileDescriptor.rawValue)
    }

    /// Closes the device now (`v4l2_close`).
    public consuming func close() {
        // deinit runs when self is consumed here.
    }

    /// Issues `ioctl(fd, request, &value)`, mapping -1 to `Errno` and retrying `EINTR`.
    internal func ioctl<T>(_ request: UInt, _ value: inout T, retryOnInterrupt: Bool = true) throws(Errno) {
        let fd = fileDescriptor.rawValue
        _ = try valueOrErrno(retryOnInterrupt: retryOnInterrupt) { system_ioctl(fd, request, &value) }.get()
    }

    /// Waits until a frame can be dequeued (`poll(POLLIN)`).
    ///
    /// - Parameter timeoutMilliseconds: how long to wait; negative waits forever.
    /// - Returns: `true` when readable, `false` on timeout.
    /// - Throws: `Errno` from `poll`, or ``Errno.operationNotSupportedByDevice`` when the device reports `POLLERR`/`POLLHUP`
    ///   (e.g. an unplugged USB camera).
    public func waitForFrame(timeoutMilliseconds: Int, retryOnInterrupt: Bool = true) throws(Errno) -> Bool {
        let fd = fileDescriptor.rawValue
        while true {
            let (result, revents) = system_poll(
                fd, events: Int16(POLLIN), timeoutMilliseconds: CInt(timeoutMilliseconds))
            if result == -1 {
                let error = Errno(rawValue: system_errno)
                if retryOnInterrupt && error == .interrupted { continue }
                throw error
            }
            if result == 0 { return false }
            if revents & Int16(POLLIN) != 0 { return true }
            if revents & Int16(POLLERR | POLLHUP | POLLNVAL) != 0 { throw Errno.operationNotSupportedByDevice }
            return false
        }
    }
}

extension V4L2Device {
    /// Writes one frame to the node's output side (`write(2)`), e.g. a JPEG into v4l2loopback.
    ///
    /// - Throws: `Errno`.
    public func write(_ bytes: [UInt8]) throws(Errno) {
        let fd = fileDescriptor.rawValue
        _ = try valueOrErrno(retryOnInterrupt: true) { system_writeAll(fd, bytes) }.get()
    }
}
