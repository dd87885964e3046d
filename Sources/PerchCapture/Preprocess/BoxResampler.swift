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
    /// One source row filtered horizontally: `[tx][c]`.
    private var rowSums: [Int] = []
    /// One output row's column sums before the division: `[tx][c]`.
    private var columnSums: [Int] = []

    /// Resamples `region` of the image in `bytes` into `targetRect` of `output` (see ``Resampler``).
    ///
    /// Output row by output row: each source row it covers is filtered horizontally and added, weighted, to the
    /// row's column sums. Two buffers of one row each (a source row shared by two output rows is filtered twice),
    /// instead of every filtered source row at once (0.7 MiB for a 640×480 RGB frame, resident in the daemon).
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
        let rowCount = width * channels
        if rowSums.count < rowCount {
            rowSums = [Int](repeating: 0, count: rowCount)
            columnSums = [Int](repeating: 0, count: rowCount)
        }
        let d = region.width * region.height
        let half = d / 2
        for ty in 0..<targetRect.height {
            for i in 0..<rowCount { columnSums[i] = 0 }
            let first = y.firstSource[ty]
            for k in y.offsets[ty]..<y.offsets[ty + 1] {
                filterRow(bytes, layout: layout, row: region.y + first + (k - y.offsets[ty]), x: region.x, width: width)
                let weight = y.weights[k]
                for i in 0..<rowCount { columnSums[i] += weight * rowSums[i] }
            }
            // The single rounding division: (acc + D / 2) / D.
            let o = ((targetRect.y + ty) * output.width + targetRect.x) * channels
            for i in 0..<rowCount { output.storage[o + i] = UInt8((columnSums[i] + half) / d) }
        }
    }

    /// `rowSums[tx][c] = Σ_s wx[tx][s] · p[row][x + s][c]` (≤ 255 · Sx).
    private mutating func filterRow(_ bytes: Span<UInt8>, layout: SourceLayout, row: Int, x left: Int, width: Int) {
        let channels = layout.channels
        let rowBase = row * layout.rowStride + left * layout.pixelStride
        for tx in 0..<width {
            let first = x.firstSource[tx]
            let o = tx * channels
            for c in 0..<channels {
                var sum = 0
                var p = rowBase + first * layout.pixelStride + c
                for k in x.offsets[tx]..<x.offsets[tx + 1] {
                    sum += x.weights[k] * Int(bytes[p])
                    p += layout.pixelStride
                }
                rowSums[o + c] = sum
            }
        }
    }
}
