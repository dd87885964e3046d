/// The integer-exact box filter (``ResizeFilter/box``): separable, exact integer sums, one rounding at the end.
///
/// For a source region of `Sx × Sy` pixels and a target of `Nx × Ny`, each output channel value is
/// `(Σ_r Σ_s wy[y][r] · wx[x][s] · p[r][s] + D / 2) / D` with `D = Sx · Sy` (round half up), the weights being
/// ``BoxWeights``. Rows are filtered first into exact integer sums, then columns; dividing once at the end makes
/// this identical to the double sum of `models/cat/preprocess.py` (`resize_box_int`). Sums stay below
/// `255 · Sx · Sy`, far inside `Int`. Tables and the row buffer are rebuilt only when the geometry changes.
struct BoxResampler: Sendable {
    private var x = BoxWeights(sourceCount: 1, targetCount: 1)
    private var y = BoxWeights(sourceCount: 1, targetCount: 1)
    private var rowSums: [Int] = []

    /// Resamples `region` of the image in `bytes` into `targetRect` of `output` (see ``Resampler``).
    mutating func resample(
        _ bytes: Span<UInt8>,
        layout: SourceLayout,
        region: PixelRect,
        into output: inout PixelBuffer,
        targetRect: PixelRect
    ) {
        if x.sourceCount != region.width || x.targetCount != targetRect.width {
            x = BoxWeights(sourceCount: region.width, targetCount: targetRect.width)
        }
        if y.sourceCount != region.height || y.targetCount != targetRect.height {
            y = BoxWeights(sourceCount: region.height, targetCount: targetRect.height)
        }
        let channels = layout.channels
        let width = targetRect.width
        let needed = region.height * width * channels
        if rowSums.count < needed { rowSums = [Int](repeating: 0, count: needed) }

        // Rows: rowSums[r][tx][c] = Σ_s wx[tx][s] · p[region.y + r][region.x + s][c]  (≤ 255 · Sx)
        for r in 0..<region.height {
            let rowBase = (region.y + r) * layout.rowStride + region.x * layout.pixelStride
            for tx in 0..<width {
                let first = x.firstSource[tx]
                let w0 = x.offsets[tx]
                let w1 = x.offsets[tx + 1]
                let o = (r * width + tx) * channels
                for c in 0..<channels {
                    var sum = 0
                    var p = rowBase + first * layout.pixelStride + c
                    for k in w0..<w1 {
                        sum += x.weights[k] * Int(bytes[p])
                        p += layout.pixelStride
                    }
                    rowSums[o + c] = sum
                }
            }
        }

        // Columns, then the single rounding division: (acc + D / 2) / D.
        let d = region.width * region.height
        let half = d / 2
        for ty in 0..<targetRect.height {
            let first = y.firstSource[ty]
            let w0 = y.offsets[ty]
            let w1 = y.offsets[ty + 1]
            let o = ((targetRect.y + ty) * output.width + targetRect.x) * channels
            for tx in 0..<width {
                for c in 0..<channels {
                    var sum = 0
                    var p = (first * width + tx) * channels + c
                    for k in w0..<w1 {
                        sum += y.weights[k] * rowSums[p]
                        p += width * channels
                    }
                    output.storage[o + tx * channels + c] = UInt8((sum + half) / d)
                }
            }
        }
    }
}
