/// How a frame whose aspect ratio differs from the model's is fitted.
public enum CropPolicy: String, Sendable, Equatable, CaseIterable {
    /// Crop the largest centered region with the model's aspect ratio (no distortion, loses the edges).
    case centerCrop = "center-crop"
    /// Scale the whole frame to fit and pad the rest (no distortion, nothing lost).
    case letterbox
    /// Scale each axis independently (distorts).
    case stretch
}

/// An integer rectangle.
public struct PixelRect: Sendable, Equatable {
    /// Left edge.
    public var x: Int
    /// Top edge.
    public var y: Int
    /// Width.
    public var width: Int
    /// Height.
    public var height: Int
    /// Creates a rectangle.
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
}

extension CropPolicy {
    /// Where the crop of the source lands in the target.
    ///
    /// - Returns: `source`, the region of the source to use, and `target`, where it goes in the output (smaller than
    ///   the output only for letterbox; the rest is padding). Sizes round to nearest.
    public func geometry(sourceWidth sw: Int, sourceHeight sh: Int, targetWidth tw: Int, targetHeight th: Int)
        -> (source: PixelRect, target: PixelRect)
    {
        let full = PixelRect(x: 0, y: 0, width: sw, height: sh)
        let whole = PixelRect(x: 0, y: 0, width: tw, height: th)
        switch self {
        case .stretch:
            return (full, whole)
        case .centerCrop:
            if sw * th > sh * tw {
                let w = max(1, (sh * tw + th / 2) / th)
                return (PixelRect(x: (sw - w) / 2, y: 0, width: w, height: sh), whole)
            } else {
                let h = max(1, (sw * th + tw / 2) / tw)
                return (PixelRect(x: 0, y: (sh - h) / 2, width: sw, height: h), whole)
            }
        case .letterbox:
            if sw * th > sh * tw {
                let h = max(1, (sh * tw + sw / 2) / sw)
                return (full, PixelRect(x: 0, y: (th - h) / 2, width: tw, height: h))
            } else {
                let w = max(1, (sw * th + sh / 2) / sh)
                return (full, PixelRect(x: (tw - w) / 2, y: 0, width: w, height: th))
            }
        }
    }
}
