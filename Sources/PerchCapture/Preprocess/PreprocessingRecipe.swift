/// The preprocessing a model's sidecar names, as ``Preprocessor`` options plus the quantization table's rounding.
///
/// A sidecar (`cat_v1.json`) describes its input pipeline in words: `input.decode`, `input.crop`, `input.resize`,
/// `input.quantization_table`. Each field is matched against the spellings Perch implements; a field that is
/// absent keeps the daemon's default, a field that is present but not recognized is an error (the preprocessing
/// a model was evaluated with is never guessed).
public struct PreprocessingRecipe: Sendable, Equatable {
    /// Crop, filter and decode choices.
    public var options: Preprocessor.Options
    /// Rounding of the quantization table (``InputSpec/rounding``).
    public var rounding: FloatingPointRoundingRule
    /// Tie snapping of the quantization table (``InputSpec/snapsNearTies``).
    public var snapsNearTies: Bool

    /// A sidecar field whose text names no preprocessing Perch implements.
    public struct Unrecognized: Error, Sendable, Equatable, CustomStringConvertible {
        /// The sidecar key, e.g. `input.resize`.
        public var field: String
        /// Its text.
        public var text: String

        /// One line naming the key and its text.
        public var description: String { "unrecognized \(field): '\(text)'" }
    }

    /// The daemon's defaults: DCT-scaled decode, center crop, automatic filter, snapped round-half-to-even table.
    public init() {
        options = Preprocessor.Options()
        rounding = .toNearestOrEven
        snapsNearTies = true
    }

    /// Reads the sidecar's `input` texts; `nil` keeps the default for that step.
    ///
    /// Recognized spellings (case-insensitive, leading words):
    /// - decode: `full-size …` / `full` (no DCT scaling), `dct-scaled` / `scaled`;
    /// - crop: `center square …` (only for square inputs), `center-crop`, `letterbox`, `stretch`;
    /// - resize: `area-average box filter, integer weights …` or `box` (``ResizeFilter/box``), `area`,
    ///   `bilinear`, `automatic`;
    /// - quantization table: text containing `round_half_away_from_zero` and `float64` (literal float64 table,
    ///   ties away from zero, no snapping), or `round_half_to_even` (Perch's default table).
    /// - Parameters:
    ///   - decode: `input.decode`.
    ///   - crop: `input.crop`.
    ///   - resize: `input.resize`.
    ///   - quantizationTable: `input.quantization_table`.
    ///   - squareInput: whether the model input is square (a "center square" crop needs it).
    /// - Throws: ``Unrecognized`` for a present field Perch does not implement.
    public init(
        decode: String?, crop: String?, resize: String?, quantizationTable: String?, squareInput: Bool
    ) throws(Unrecognized) {
        self.init()
        if let decode {
            let t = decode.lowercased()
            if t.hasPrefix("full-size") || t == "full" {
                options.decodeAtScale = false
            } else if t.hasPrefix("dct-scaled") || t == "scaled" {
                options.decodeAtScale = true
            } else {
                throw Unrecognized(field: "input.decode", text: decode)
            }
        }
        if let crop {
            let t = crop.lowercased()
            if t.hasPrefix("center square") && squareInput {
                // CropPolicy.centerCrop on a square target is the square of side min(W, H) at floor offsets.
                options.crop = .centerCrop
            } else if let policy = CropPolicy(rawValue: t) {
                options.crop = policy
            } else {
                throw Unrecognized(field: "input.crop", text: crop)
            }
        }
        if let resize {
            let t = resize.lowercased()
            if t.hasPrefix("area-average box filter, integer weights") {
                options.filter = .box
            } else if let filter = ResizeFilter(rawValue: t) {
                options.filter = filter
            } else {
                throw Unrecognized(field: "input.resize", text: resize)
            }
        }
        if let quantizationTable {
            let t = quantizationTable.lowercased()
            if t.containsText("round_half_away_from_zero") && t.containsText("float64") {
                rounding = .toNearestOrAwayFromZero
                snapsNearTies = false
            } else if t.containsText("round_half_to_even") {
                rounding = .toNearestOrEven
            } else {
                throw Unrecognized(field: "input.quantization_table", text: quantizationTable)
            }
        }
    }

    /// The recipe in the short spellings ``init(decode:crop:resize:quantizationTable:squareInput:)`` reads back
    /// to an equal recipe (what a model manifest carries).
    public var spellings: (decode: String, crop: String, resize: String, quantizationTable: String) {
        let table =
            rounding == .toNearestOrAwayFromZero && !snapsNearTies
            ? "round_half_away_from_zero float64" : "round_half_to_even"
        return (options.decodeAtScale ? "scaled" : "full", options.crop.rawValue, options.filter.rawValue, table)
    }

    /// `spec` with this recipe's table rounding.
    public func applied(to spec: InputSpec) -> InputSpec {
        var spec = spec
        spec.rounding = rounding
        spec.snapsNearTies = snapsNearTies
        return spec
    }
}

extension String {
    /// Whether the UTF-8 bytes of `text` occur in this string's (the same answer as `contains(_:)` for the ASCII
    /// needles above).
    ///
    /// Not the standard library's `contains(_:)`: that lives in `_StringProcessing`, which Embedded builds (the ARM
    /// cross-build) lack and whose code the daemon would otherwise map just for this (scripts/daemon/rss-bench.sh).
    fileprivate func containsText(_ text: String) -> Bool {
        let haystack = Array(utf8)
        let needle = Array(text.utf8)
        guard !needle.isEmpty else { return true }
        guard haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count)
        where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return true
        }
        return false
    }
}
