/// A 256-entry lookup table per channel: pixel value → quantized model input.
///
/// Built once from the input's scale, zero point and normalization, so the per-pixel cost of quantization is
/// one table read: q = clamp(round(x / scale) + zeroPoint) with x = normalization(p).
public struct QuantizationTable: Sendable, Equatable {
    /// Number of channels (tables).
    public let channels: Int
    /// `channels × 256` entries, channel-major; uint8 values stored as bit patterns.
    public let entries: [Int8]

    /// Builds the tables for `spec`.
    ///
    /// - Precondition: a per-channel normalization has 1 or `spec.channels` entries.
    public init(spec: InputSpec) {
        if case .meanStd(let mean, _) = spec.normalization {
            precondition(mean.count == 1 || mean.count == spec.channels, "mean/std must have 1 or C entries")
        }
        let (low, high) = spec.elementType == .int8 ? (-128, 127) : (0, 255)
        var entries = [Int8](repeating: 0, count: spec.channels * 256)
        for c in 0..<spec.channels {
            for p in 0..<256 {
                let x = spec.normalization.realValue(UInt8(p), channel: c)
                var r = x / spec.scale
                // Snap values a rounding error away from a .5 tie onto it, so the rounding rule, not float
                // noise, decides ties (with [-1, 1] and scale 1/127.5 every pixel is a tie).
                let tie = (r * 2).rounded() / 2
                if spec.snapsNearTies && tie != tie.rounded(.towardZero) && abs(r - tie) < 1e-9 { r = tie }
                let q = Self.round(r, spec) + Double(spec.zeroPoint)
                let clamped = Int(max(Double(low), min(Double(high), q)))
                entries[c * 256 + p] = Int8(truncatingIfNeeded: clamped)
            }
        }
        self.channels = spec.channels
        self.entries = entries
    }

    /// Rounds `r` by the spec's rule; without snapping, half-away-from-zero is numpy's `sign(r)·floor(|r| + 0.5)`.
    private static func round(_ r: Double, _ spec: InputSpec) -> Double {
        guard !spec.snapsNearTies, spec.rounding == .toNearestOrAwayFromZero else { return r.rounded(spec.rounding) }
        let magnitude = (abs(r) + 0.5).rounded(.down)
        return r < 0 ? -magnitude : magnitude
    }

    /// The quantized value of pixel `p` in `channel`.
    @inline(__always)
    public func callAsFunction(_ p: UInt8, channel: Int) -> Int8 {
        entries[channel &* 256 &+ Int(p)]
    }
}
