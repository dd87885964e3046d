/// Why a model input tensor's shape is not an image the pipeline can fill.
public enum ImageShapeError: Error, Equatable, Sendable {
    /// Not `[1,H,W,C]` or `[1,C,H,W]` with positive dimensions.
    case notAnImage(shape: [Int])
    /// An image layout, but with a channel count other than 1 or 3.
    case unsupportedChannels(Int, shape: [Int])
}

extension InputSpec {
    /// Describes an int8 image input from the tensor's shape and quantization.
    ///
    /// The layout is read from the shape: `[1,H,W,C]` (NHWC) when the last dimension is 1 or 3,
    /// otherwise `[1,C,H,W]` (NCHW). The normalization is the caller's (flag or sidecar): never guessed.
    ///
    /// - Throws: ``ImageShapeError`` when the shape is not a single 1- or 3-channel image.
    public init(
        int8TensorShape shape: [Int], scale: Double, zeroPoint: Int, normalization: Normalization
    ) throws(ImageShapeError) {
        guard shape.count == 4, shape[0] == 1, shape.allSatisfy({ $0 > 0 }) else { throw .notAnImage(shape: shape) }
        let channelsLast = shape[3] == 1 || shape[3] == 3
        let channels = channelsLast ? shape[3] : shape[1]
        guard channels == 1 || channels == 3 else { throw .unsupportedChannels(channels, shape: shape) }
        self.init(
            height: channelsLast ? shape[1] : shape[2],
            width: channelsLast ? shape[2] : shape[3],
            channels: channels,
            layout: channelsLast ? .nhwc : .nchw,
            elementType: .int8,
            scale: scale,
            zeroPoint: zeroPoint,
            normalization: normalization)
    }
}
