// The ONLY file in PerchCapture that calls libv4l2 (and the few raw syscalls around it).
// Each function is a one-line, fixed-arity forward; error handling lives in the callers through
// `valueOrErrno(retryOnInterrupt:_:)`.

import CV4L2
import Glibc
import SystemPackage

internal func system_v4l2_open(_ path: String, _ flags: CInt) -> CInt {
    cv4l2_open(path, flags)
}

/// Plain `open(2)` (no libv4l2 registration).
internal func system_open(_ path: String, _ flags: CInt) -> CInt {
    open(path, flags)
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

// MARK: - POSIX helpers for the file and pipe sources (kept here: this file is where unsafe code may live)

/// `read(2)` into `buffer[offset..<offset+count]`; returns bytes read, 0 at EOF, or -1 (errno set).
internal func system_read(_ fd: CInt, into buffer: inout [UInt8], offset: Int, count: Int) -> Int {
    precondition(offset >= 0 && count >= 0 && offset + count <= buffer.count, "read range outside the buffer")
    return buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + offset, count) }
}

/// `open(path, O_RDONLY | O_CLOEXEC)`.
internal func system_openReadOnly(_ path: String) -> CInt {
    open(path, O_RDONLY | O_CLOEXEC)
}

/// `close(2)`.
internal func system_close(_ fd: CInt) -> CInt {
    close(fd)
}

/// Names of the entries of a directory (`opendir`/`readdir`), without `.` and `..`.
internal func system_listDirectory(_ path: String) -> Result<[String], Errno> {
    guard let dir = opendir(path) else { return .failure(Errno(rawValue: errno)) }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
            String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
        if name != "." && name != ".." { names.append(name) }
    }
    return .success(names)
}

/// Sleeps the calling thread (`nanosleep`, resumed after EINTR).
/// `clock_gettime(CLOCK_THREAD_CPUTIME_ID)`: CPU time the calling thread has used, in nanoseconds.
internal func system_threadCPUNanoseconds() -> Int {
    var now = timespec()
    _ = clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
    return Int(now.tv_sec) * 1_000_000_000 + Int(now.tv_nsec)
}

internal func system_sleep(_ duration: Duration) {
    let (seconds, attoseconds) = duration.components
    guard seconds > 0 || attoseconds > 0 else { return }
    var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
    var remaining = timespec()
    while nanosleep(&request, &remaining) == -1 && errno == EINTR { request = remaining }
}

/// Starts `/bin/sh -c command` in its own process group with stdout on a new pipe and stdin on /dev/null.
///
/// - Returns: the child's pid and the read end of its stdout (close-on-exec), or the errno.
internal func system_spawnShell(_ command: String) -> Result<(pid: pid_t, stdout: CInt), Errno> {
    var fds: [CInt] = [-1, -1]
    guard pipe(&fds) == 0 else { return .failure(Errno(rawValue: errno)) }
    _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
    _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
    posix_spawnattr_setpgroup(&attributes, 0)
    let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"), strdup(command), nil]
    defer { for arg in argv { free(arg) } }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, environ)
    _ = close(fds[1])
    guard rc == 0 else {
        _ = close(fds[0])
        return .failure(Errno(rawValue: rc))
    }
    return .success((pid, fds[0]))
}

/// Terminates a process group started by ``system_spawnShell(_:)``: SIGTERM, up to `grace`, then SIGKILL; reaps it.
///
/// - Returns: the exit status (128 + signal for a signalled child).
internal func system_terminateProcessGroup(_ pid: pid_t, grace: Duration = .seconds(1)) -> Int32 {
    _ = kill(-pid, SIGTERM)
    let deadline = ContinuousClock.now + grace
    var status: CInt = 0
    while true {
        let r = waitpid(pid, &status, WNOHANG)
        if r == pid { break }
        if r == -1 && errno != EINTR { return -1 }
        if ContinuousClock.now >= deadline {
            _ = kill(-pid, SIGKILL)
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            break
        }
        system_sleep(.milliseconds(10))
    }
    _ = kill(-pid, SIGKILL)  // stragglers in the group
    return decodeWaitStatus(status)
}

/// Reaps `pid` if it has exited (`waitpid(WNOHANG)`); returns its exit status, or `nil` while it runs.
internal func system_reapIfExited(_ pid: pid_t) -> Int32? {
    var status: CInt = 0
    let r = waitpid(pid, &status, WNOHANG)
    return r == pid ? decodeWaitStatus(status) : nil
}

private func decodeWaitStatus(_ status: CInt) -> Int32 {
    let signal = status & 0x7F
    return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
}

/// `write(2)` of a whole array, retrying short writes and EINTR; returns 0 or -1 (errno set).
internal func system_writeAll(_ fd: CInt, _ bytes: [UInt8]) -> CInt {
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
        if n < 0 {
            if errno == EINTR { continue }
            return -1
        }
        offset += n
    }
    return 0
}

/// Creates or truncates `path` (mode 0644) and writes `bytes`.
internal func system_writeFile(_ path: String, _ bytes: [UInt8]) -> Result<Void, Errno> {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { return .failure(Errno(rawValue: errno)) }
    defer { close(fd) }
    return system_writeAll(fd, bytes) == 0 ? .success(()) : .failure(Errno(rawValue: errno))
}

/// `mkdir -p`.
internal func system_makeDirectories(_ path: String) -> Result<Void, Errno> {
    var prefix = path.hasPrefix("/") ? "/" : ""
    for part in path.split(separator: "/") {
        prefix += part + "/"
        if mkdir(prefix, 0o755) != 0 && errno != EEXIST { return .failure(Errno(rawValue: errno)) }
    }
    return .success(())
}
