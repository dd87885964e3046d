/// Crops and resizes 8-bit images (area average or bilinear) with precomputed index tables.
///
/// The tables are rebuilt only when the geometry changes, so steady-state resampling allocates nothing.
public struct Resampler: Sendable {
    private var key = GeometryKey()
    private var x0: [Int] = []
    private var x1: [Int] = []
    private var xw: [Int] = []
    private var y0: [Int] = []
    private var y1: [Int] = []
    private var yw: [Int] = []
    private var box = BoxResampler()
    private var columnSums: [Int32] = []  // shrinking area: one target row's sums per region column

    /// Creates a resampler with empty tables.
    public init() {}

    /// Resamples `region` of the image in `bytes` into `targetRect` of `output`.
    ///
    /// `output` must already have its final shape (``PixelBuffer/reshape(width:height:channels:)``) with
    /// `layout.channels` channels; pixels outside `targetRect` are left untouched (letterbox padding).
    /// - Parameters:
    ///   - bytes: source bytes, read through `layout`.
    ///   - layout: how to address source pixels.
    ///   - region: source rectangle to use (inside the image).
    ///   - filter: ``ResizeFilter``.
    ///   - output: destination image.
    ///   - targetRect: destination rectangle.
    public mutating func resample(
        _ bytes: Span<UInt8>,
        layout: SourceLayout,
        region: PixelRect,
        filter: ResizeFilter,
        into output: inout PixelBuffer,
        targetRect: PixelRect
    ) {
        precondition(output.channels == layout.channels, "output channels must match the source's")
        precondition(
            region.x >= 0 && region.y >= 0 && region.x + region.width <= layout.width
                && region.y + region.height <= layout.height && region.width > 0 && region.height > 0,
            "crop region outside the image")
        precondition(bytes.count >= layout.requiredByteCount, "frame smaller than its layout")
        let useArea: Bool
        switch filter {
        case .box:
            box.resample(bytes, layout: layout, region: region, into: &output, targetRect: targetRect)
            return
        case .area: useArea = true
        case .bilinear: useArea = false
        case .automatic: useArea = region.width >= targetRect.width && region.height >= targetRect.height
        }
        prepareTables(region: region, target: targetRect, area: useArea)
        if useArea && layout.pixelStride == layout.channels && region.width >= targetRect.width
            && region.height >= targetRect.height
        {
            shrinkingPackedArea(bytes, layout: layout, into: &output, targetRect: targetRect)
        } else if useArea {
            area(bytes, layout: layout, into: &output, targetRect: targetRect)
        } else {
            bilinear(bytes, layout: layout, into: &output, targetRect: targetRect)
        }
    }

    private mutating func prepareTables(region: PixelRect, target: PixelRect, area: Bool) {
        var newKey = GeometryKey()
        newKey.region = region
        newKey.targetWidth = target.width
        newKey.targetHeight = target.height
        newKey.area = area
        if newKey == key { return }  // steady state: same geometry, no table rebuild, no allocation
        key = newKey
        func axis(_ start: Int, _ size: Int, _ count: Int, _ a: inout [Int], _ b: inout [Int], _ w: inout [Int]) {
            a = [Int](repeating: 0, count: count)
            b = a
            w = a
            for i in 0..<count {
                if area {
                    let lo = i * size / count
                    let hi = max(lo + 1, (i + 1) * size / count)
                    a[i] = start + lo
                    b[i] = start + min(hi, size)
                } else {
                    // half-pixel centers: s = (i + 0.5) · size / count − 0.5, in 1/256 units
                    let s256 = max(0, ((2 * i + 1) * size * 256 / count - 256) / 2)
                    let lo = min(s256 >> 8, size - 1)
                    a[i] = start + lo
                    b[i] = start + min(lo + 1, size - 1)
                    w[i] = lo == size - 1 ? 0 : s256 & 255
                }
            }
        }
        axis(region.x, region.width, target.width, &x0, &x1, &xw)
        axis(region.y, region.height, target.height, &y0, &y1, &yw)

    }

    private func area(_ bytes: Span<UInt8>, layout: SourceLayout, into output: inout PixelBuffer, targetRect: PixelRect)
    {
        let channels = layout.channels
        for ty in 0..<targetRect.height {
            let ya = y0[ty]
            let yb = y1[ty]
            for tx in 0..<targetRect.width {
                let xa = x0[tx]
                let xb = x1[tx]
                let count = (yb - ya) * (xb - xa)
                let o = ((targetRect.y + ty) * output.width + targetRect.x + tx) * channels
                for c in 0..<channels {
                    var sum = 0
                    for sy in ya..<yb {
                        var p = sy * layout.rowStride + xa * layout.pixelStride + c
                        for _ in xa..<xb {
                            sum &+= Int(bytes[p])
                            p &+= layout.pixelStride
                        }
                    }
                    output.storage[o + c] = UInt8((sum + count / 2) / count)
                }
            }
        }
    }

    /// ``area(_:layout:into:targetRect:)`` when shrinking pixels whose channels are adjacent (gray, RGB; not YUYV's
    /// Y). Shrinking, the integer boxes partition the region, so every source row belongs to exactly one target row:
    /// its bytes are added element-wise into ``columnSums`` (a straight, vectorizable loop), then each box sums its
    /// columns and gets one rounding division per value. The same sums and divisions as ``area``, so the same results.
    private mutating func shrinkingPackedArea(
        _ bytes: Span<UInt8>, layout: SourceLayout, into output: inout PixelBuffer, targetRect: PixelRect
    ) {
        let channels = layout.channels
        let regionX = key.region.x
        let length = key.region.width * channels
        if columnSums.count < length { columnSums = [Int32](repeating: 0, count: length) }  // when the geometry grows
        var sums: [Int32] = []
        swap(&sums, &columnSums)  // a move, so the span below does not overlap an access to self
        defer { swap(&sums, &columnSums) }
        let (x0, x1, y0, y1) = (self.x0, self.x1, self.y0, self.y1)
        let outputWidth = output.width
        var all = sums.mutableSpan
        var acc = all.extracting(0..<length)
        var out = output.storage.mutableSpan
        for ty in 0..<targetRect.height {
            let ya = y0[ty]
            let yb = y1[ty]
            for i in acc.indices { acc[i] = 0 }
            for sy in ya..<yb {
                let start = sy * layout.rowStride + regionX * channels
                let row = bytes.extracting(start..<(start + length))
                precondition(row.count == acc.count)
                for i in acc.indices { acc[i] &+= Int32(row[i]) }  // ≤ 255 · rows: far inside Int32
            }
            let o = ((targetRect.y + ty) * outputWidth + targetRect.x) * channels
            let rows = yb - ya
            for tx in 0..<targetRect.width {
                let a = (x0[tx] - regionX) * channels
                let b = (x1[tx] - regionX) * channels
                let count = rows * (x1[tx] - x0[tx])
                for c in 0..<channels {
                    var sum = 0
                    var i = a + c
                    while i < b {
                        sum &+= Int(acc[i])
                        i &+= channels
                    }
                    out[o + tx * channels + c] = UInt8((sum + count / 2) / count)
                }
            }
        }
    }

    private func bilinear(
        _ bytes: Span<UInt8>,
        layout: SourceLayout,
        into output: inout PixelBuffer,
        targetRect: PixelRect
    ) {
        let channels = layout.channels
        for ty in 0..<targetRect.height {
            let ra = y0[ty] * layout.rowStride
            let rb = y1[ty] * layout.rowStride
            let fy = yw[ty]
            for tx in 0..<targetRect.width {
                let ca = x0[tx] * layout.pixelStride
                let cb = x1[tx] * layout.pixelStride
                let fx = xw[tx]
                let o = ((targetRect.y + ty) * output.width + targetRect.x + tx) * channels
                for c in 0..<channels {
                    let top = Int(bytes[ra + ca + c]) * (256 - fx) + Int(bytes[ra + cb + c]) * fx
                    let bottom = Int(bytes[rb + ca + c]) * (256 - fx) + Int(bytes[rb + cb + c]) * fx
                    output.storage[o + c] = UInt8((top * (256 - fy) + bottom * fy + 32768) >> 16)
                }
            }
        }
    }
}

/// What the index tables depend on (a value type, so the per-frame comparison allocates nothing).
private struct GeometryKey: Equatable, Sendable {
    var region = PixelRect(x: -1, y: -1, width: 0, height: 0)
    var targetWidth = 0
    var targetHeight = 0
    var area = false
}
