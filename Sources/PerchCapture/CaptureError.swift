import SystemPackage

/// Everything that can go wrong between a camera and a model input tensor.
///
/// Syscall failures keep their `Errno` and gain context (which device, which step); nothing is stringified.
public enum CaptureError: Error, Equatable, Sendable {
    /// A V4L2 call on `path` failed; `operation` names the ioctl or call (e.g. `"VIDIOC_S_FMT"`).
    case device(path: String, operation: String, errno: Errno)
    /// The camera disappeared (`ENODEV`, unplugged USB) or errored while streaming; the source reopens it.
    case deviceLost(path: String, errno: Errno)
    /// No frame arrived within the timeout; the source restarts the stream on the next call.
    case stalled(source: String, milliseconds: Int)
    /// The driver granted another pixel format than the one asked for (vivid answers MJPEG with YUYV).
    case formatNotGranted(requested: PixelFormat, granted: PixelFormat)
    /// The node is not a single-planar video capture device with streaming I/O.
    case notACaptureDevice(path: String)
    /// A pixel format this pipeline cannot convert.
    case unsupportedPixelFormat(PixelFormat)
    /// A frame with fewer bytes than its format needs.
    case shortFrame(expected: Int, actual: Int)
    /// A JPEG frame could not be decoded; only that frame is lost.
    case jpeg(JPEGError)
    /// An image file that is not JPEG, PPM/PGM (binary) or BMP, or is malformed.
    case unsupportedImage(path: String)
    /// Reading a file or pipe failed.
    case io(path: String, errno: Errno)
    /// A `pipe:` producer exited (status) and will be restarted with backoff.
    case producerExited(command: String, status: Int32)
    /// A `pipe:` producer could not be started.
    case producerFailedToStart(command: String)
    /// A `file:`/`dir:` source played every frame once (`loop: false`).
    case endOfStream
    /// A source string that is not `v4l2:`, `pipe:`, `file:` or `dir:`, or a bad option value.
    case invalidSource(String)
}

/// Why a JPEG could not be decoded (from the CJPEG shim's codes).
public enum JPEGError: Error, Equatable, Sendable {
    /// libjpeg raised a fatal error; `message` is libjpeg's own text (e.g. "Not a JPEG file: starts with 0x00 0x00").
    case corrupt(message: String)
    /// The data ended before the image did.
    case truncated
    /// The input was empty or too short to be a JPEG.
    case empty
    /// libjpeg could not allocate memory.
    case outOfMemory
}
