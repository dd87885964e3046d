/// The resampling filter used to reach the model's size.
public enum ResizeFilter: String, Sendable, Equatable, CaseIterable {
    /// Area average when shrinking both axes, bilinear otherwise.
    case automatic
    /// Mean of the source pixels each output pixel covers (integer boxes `[i·S/D, (i+1)·S/D)`); best for shrinking.
    case area
    /// Bilinear with half-pixel centers (`align_corners = false`), 8-bit fixed-point weights.
    case bilinear
    /// Exact area average with fractional overlap weights (``BoxWeights``), one round-half-up division per value;
    /// shrinks and enlarges. The cat model's evaluation filter (`models/cat/preprocess.py`).
    case box
}

/// How to read one 8-bit image plane set from a frame's bytes.
public struct SourceLayout: Sendable, Equatable {
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int
    /// Bytes from one row to the next.
    public var rowStride: Int
    /// Bytes from one pixel to the next (1 GREY, 2 for YUYV's Y, 3 RGB).
    public var pixelStride: Int
    /// Channels read per pixel (1 or 3), at byte offsets 0, 1, 2 from the pixel.
    public var channels: Int

    /// Creates a layout.
    public init(width: Int, height: Int, rowStride: Int, pixelStride: Int, channels: Int) {
        self.width = width
        self.height = height
        self.rowStride = rowStride
        self.pixelStride = pixelStride
        self.channels = channels
    }

    /// Packed rows of `channels`-byte pixels.
    public static func packed(width: Int, height: Int, channels: Int) -> SourceLayout {
        SourceLayout(
            width: width, height: height, rowStride: width * channels, pixelStride: channels, channels: channels)
    }

    /// Bytes the layout needs.
    public var requiredByteCount: Int {
        height == 0 ? 0 : (height - 1) * rowStride + (width - 1) * pixelStride + channels
    }
}
