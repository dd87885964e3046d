/// Opens a ``FrameSource`` from the URL-like strings configs and the CLI use.
public enum FrameSources {
    /// Options that apply to the source kinds that use them.
    public struct Options: Sendable, Equatable {
        /// Requested V4L2 pixel format.
        public var pixelFormat: PixelFormat = .mjpeg
        /// Requested width (V4L2).
        public var width = 640
        /// Requested height (V4L2).
        public var height = 480
        /// Requested (V4L2) or replay (`file:`/`dir:`) rate; `nil` = driver default / as fast as asked.
        public var framesPerSecond: Int? = 30
        /// Loop `file:`/`dir:` sources.
        public var loop = false
        /// Frame timeout (V4L2 and `pipe:`).
        public var timeoutMilliseconds = 5000
        /// V4L2 controls to set by name after opening.
        public var controls: [String: Int32] = [:]
        /// Creates default options.
        public init() {}
    }

    /// The kind of source a string names.
    public enum Kind: Equatable, Sendable {
        /// `v4l2:/dev/videoN` (or a bare `/dev/videoN`).
        case v4l2(path: String)
        /// `pipe:COMMAND`.
        case pipe(command: String)
        /// `file:PATH`.
        case file(path: String)
        /// `dir:PATH`.
        case directory(path: String)
    }

    /// Parses a source string.
    ///
    /// - Throws: ``CaptureError/invalidSource(_:)``.
    public static func parse(_ source: String) throws(CaptureError) -> Kind {
        func rest(_ prefix: String) -> String? {
            source.hasPrefix(prefix) ? String(source.dropFirst(prefix.count)) : nil
        }
        if let path = rest("v4l2:"), !path.isEmpty { return .v4l2(path: path) }
        if let command = rest("pipe:"), !command.isEmpty { return .pipe(command: command) }
        if let path = rest("file:"), !path.isEmpty { return .file(path: path) }
        if let path = rest("dir:"), !path.isEmpty { return .directory(path: path) }
        if source.hasPrefix("/dev/video") { return .v4l2(path: source) }
        throw .invalidSource("\(source): expected v4l2:/dev/videoN, pipe:COMMAND, file:PATH or dir:PATH")
    }

    /// Opens the source `source` names.
    ///
    /// - Throws: ``CaptureError``.
    public static func open(_ source: String, options: Options = Options()) throws(CaptureError) -> any FrameSource {
        switch try parse(source) {
        case .v4l2(let path):
            return try V4L2Source(
                V4L2Source.Configuration(
                    path: path, pixelFormat: options.pixelFormat, width: options.width, height: options.height,
                    framesPerSecond: options.framesPerSecond, timeoutMilliseconds: options.timeoutMilliseconds,
                    controls: options.controls))
        case .pipe(let command):
            return try PipeSource(command: command, timeoutMilliseconds: options.timeoutMilliseconds)
        case .file(let path):
            return try ImageFileSource(
                name: source, paths: [path], framesPerSecond: options.framesPerSecond.map(Double.init),
                loop: options.loop)
        case .directory(let path):
            return try ImageFileSource(
                directory: path, framesPerSecond: options.framesPerSecond.map(Double.init), loop: options.loop)
        }
    }
}
