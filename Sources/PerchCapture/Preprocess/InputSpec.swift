/// What the model wants as input: shape, layout, element type, quantization and normalization.
///
/// PerchCapture's own value type, so capture does not depend on the inference core; the agent/CLI builds it from
/// the interpreter's input tensor plus the model's config or sidecar (normalization is never guessed).
public struct InputSpec: Sendable, Equatable {
    /// Memory layout of the input tensor.
    public enum Layout: String, Sendable, Equatable {
        /// `[1, H, W, C]` (TFLite's default).
        case nhwc
        /// `[1, C, H, W]` (PyTorch-converted models, e.g. the mobilenet_v2 test model).
        case nchw
    }

    /// Element type of the input tensor.
    public enum ElementType: String, Sendable, Equatable {
        /// Signed 8-bit, range -128...127.
        case int8
        /// Unsigned 8-bit, range 0...255 (stored in the `[Int8]` output as bit patterns).
        case uint8
    }

    /// Height in pixels.
    public var height: Int
    /// Width in pixels.
    public var width: Int
    /// 1 (gray) or 3 (RGB).
    public var channels: Int
    /// Tensor layout.
    public var layout: Layout
    /// Element type.
    public var elementType: ElementType
    /// Quantization scale: real = scale × (q − zeroPoint).
    public var scale: Double
    /// Quantization zero point.
    public var zeroPoint: Int
    /// How a pixel value 0...255 maps to the real value the model was trained on.
    public var normalization: Normalization
    /// Rounding of real / scale; `.toNearestOrEven` matches `torch.quantize_per_tensor`/numpy,
    /// `.toNearestOrAwayFromZero` matches TFLite's QUANTIZE op.
    public var rounding: FloatingPointRoundingRule
    /// Whether ``QuantizationTable`` snaps a `real / scale` that lies within 1e-9 of a .5 tie onto the tie before
    /// rounding (`true`, Perch's default: the rounding rule, not float noise, decides near-ties).
    ///
    /// `false` computes the table literally in float64 as a Python/numpy reference does; with
    /// `.toNearestOrAwayFromZero` that is `sign(r) · floor(|r| + 0.5)` (`models/cat/preprocess.py`).
    public var snapsNearTies: Bool

    /// Creates a spec.
    ///
    /// - Precondition: positive sizes, `channels` is 1 or 3, `scale > 0`.
    public init(
        height: Int,
        width: Int,
        channels: Int,
        layout: Layout = .nhwc,
        elementType: ElementType = .int8,
        scale: Double,
        zeroPoint: Int,
        normalization: Normalization,
        rounding: FloatingPointRoundingRule = .toNearestOrEven,
        snapsNearTies: Bool = true
    ) {
        precondition(height > 0 && width > 0, "input size must be positive")
        precondition(channels == 1 || channels == 3, "input must have 1 or 3 channels")
        precondition(scale > 0, "quantization scale must be positive")
        self.height = height
        self.width = width
        self.channels = channels
        self.layout = layout
        self.elementType = elementType
        self.scale = scale
        self.zeroPoint = zeroPoint
        self.normalization = normalization
        self.rounding = rounding
        self.snapsNearTies = snapsNearTies
    }

    /// Number of tensor elements, `height × width × channels`.
    public var elementCount: Int { height * width * channels }
}
