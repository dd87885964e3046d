// The one swift-system type PerchCapture's Embedded-clean files name: `Errno`, as a payload of `CaptureError`.
//
// swift-system itself imports Glibc, which has no module for the Embedded `*-none-*` targets, so the cross
// build cannot compile it. None of the files built here (preprocessing, JPEG decoding, pixel formats) makes a
// syscall or creates an `Errno`: they only name the type, so this struct has swift-system's layout and
// spelling (a `CInt` raw value) and nothing else. The full build (`swift build`) uses swift-system.

/// An error number (`errno`), as swift-system's `Errno`: a `CInt` raw value.
public struct Errno: RawRepresentable, Error, Hashable, Sendable {
    /// The C `errno` value.
    public var rawValue: CInt

    /// Wraps a C `errno` value.
    public init(rawValue: CInt) { self.rawValue = rawValue }
}
