import SystemPackage

extension CaptureError: CustomStringConvertible {
    /// One line for a person: what failed, where, and the system's reason.
    public var description: String {
        switch self {
        case .device(let path, let operation, let errno): return "\(path): \(operation) failed: \(errno)"
        case .deviceLost(let path, let errno): return "\(path): camera lost (\(errno)); reopening"
        case .stalled(let source, let milliseconds): return "\(source): no frame for \(milliseconds) ms"
        case .formatNotGranted(let requested, let granted):
            return "the driver granted pixel format \(granted) instead of \(requested)"
        case .notACaptureDevice(let path): return "\(path) is not a video capture device with streaming I/O"
        case .unsupportedPixelFormat(let format): return "pixel format \(format) is not supported"
        case .shortFrame(let expected, let actual): return "short frame: \(actual) bytes, expected \(expected)"
        case .jpeg(let error): return "JPEG: \(error)"
        case .unsupportedImage(let path): return "\(path): not a JPEG, binary PPM/PGM or uncompressed BMP image"
        case .io(let path, let errno): return "\(path): \(errno)"
        case .producerExited(let command, let status): return "'\(command)' exited with status \(status)"
        case .producerFailedToStart(let command): return "could not start '\(command)'"
        case .endOfStream: return "the source has no more frames"
        case .invalidSource(let text): return "invalid source: \(text) (expected v4l2:/dev/videoN, pipe:COMMAND, file:PATH or dir:PATH)"
        }
    }
}

extension JPEGError: CustomStringConvertible {
    /// One line describing why a JPEG could not be decoded.
    public var description: String {
        switch self {
        case .corrupt(let message): return "corrupt data: \(message)"
        case .truncated: return "the data ends before the image does"
        case .empty: return "empty or too short to be a JPEG"
        case .outOfMemory: return "out of memory"
        }
    }
}
