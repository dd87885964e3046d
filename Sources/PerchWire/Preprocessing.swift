/// The preprocessing a model was evaluated with, in the spellings of its sidecar's `input` section
/// (`decode`, `crop`, `resize`, `quantization_table`); a `nil` step keeps the daemon's default.
///
/// The server stores and signs the texts; the device parses them (`PreprocessingRecipe` in PerchCapture) and
/// refuses a model whose preprocessing it does not implement.
public struct Preprocessing: Codable, Sendable, Equatable {
    /// JPEG decode: `full` (no DCT scaling) or `scaled`.
    public var decode: String?
    /// Aspect policy: `center-crop`, `letterbox`, `stretch`.
    public var crop: String?
    /// Resize filter: `box`, `area`, `bilinear`, `automatic`.
    public var resize: String?
    /// Quantization-table rounding: `round_half_to_even` or `round_half_away_from_zero float64`.
    public var quantizationTable: String?

    /// The longest text a step may have.
    public static let maxTextBytes = 256

    /// Creates a description; every step is optional.
    public init(decode: String? = nil, crop: String? = nil, resize: String? = nil, quantizationTable: String? = nil) {
        self.decode = decode
        self.crop = crop
        self.resize = resize
        self.quantizationTable = quantizationTable
    }

    /// Whether no step is given.
    public var isEmpty: Bool { decode == nil && crop == nil && resize == nil && quantizationTable == nil }

    /// Every given step is non-empty and at most ``maxTextBytes`` bytes.
    public var isWellFormed: Bool {
        [decode, crop, resize, quantizationTable].allSatisfy { text in
            text.map { !$0.isEmpty && $0.utf8.count <= Self.maxTextBytes } ?? true
        }
    }
}
