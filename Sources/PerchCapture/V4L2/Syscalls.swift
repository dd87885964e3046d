// The ONLY file in PerchCapture that calls libv4l2 (and the few raw syscalls around it).
// Each function is a one-line, fixed-arity forward; error handling lives in the callers through
// `valueOrErrno(retryOnInterrupt:_:)`.

import CV4L2
import Glibc
import SystemPackage

internal func system_v4l2_open(_ path: String, _ flags: CInt) -> CInt {
    cv4l2_open(path, flags)
}

internal func system_v4l2_close(_ fd: CInt) -> CInt {
    cv4l2_close(fd)
}

internal func system_ioctl(_ fd: CInt, _ request: UInt, _ arg: UnsafeMutableRawPointer) -> CInt {
    cv4l2_ioctl(fd, request, arg)
}

/// Calls `ioctl(fd, request, &value)` on a C struct held in Swift.
internal func system_ioctl<T>(_ fd: CInt, _ request: UInt, _ value: inout T) -> CInt {
    withUnsafeMutableBytes(of: &value) { system_ioctl(fd, request, $0.baseAddress!) }
}

internal func system_v4l2_mmap(_ fd: CInt, length: Int, offset: Int64) -> UnsafeMutableRawPointer? {
    guard let pointer = cv4l2_mmap(length, fd, offset), cv4l2_is_map_failed(pointer) == 0 else { return nil }
    return pointer
}

internal func system_v4l2_munmap(_ pointer: UnsafeMutableRawPointer, _ length: Int) -> CInt {
    cv4l2_munmap(pointer, length)
}

/// `poll(2)` on one descriptor for `events`; returns the revents or -1.
internal func system_poll(_ fd: CInt, events: Int16, timeoutMilliseconds: CInt) -> (result: CInt, revents: Int16) {
    var entry = pollfd(fd: fd, events: events, revents: 0)
    let result = poll(&entry, 1, timeoutMilliseconds)
    return (result, entry.revents)
}

internal var system_errno: CInt { errno }

/// Runs `body` until it returns something other than -1 or fails with an errno other than EINTR
/// (when `retryOnInterrupt`), as swift-system's `valueOrErrno` does.
internal func valueOrErrno<I: FixedWidthInteger>(
    retryOnInterrupt: Bool,
    _ body: () -> I
) -> Result<I, Errno> {
    while true {
        let value = body()
        if value != -1 { return .success(value) }
        let error = Errno(rawValue: system_errno)
        if retryOnInterrupt && error == .interrupted { continue }
        return .failure(error)
    }
}

/// Turns a NUL-terminated C `char[N]` tuple into a `String`.
internal func stringFromCTuple<T>(_ tuple: T) -> String {
    withUnsafeBytes(of: tuple) { bytes in
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }
}
