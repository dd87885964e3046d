// MARK: - CONV_2D (int8): the optimized paths' walk over output pixels

/// Four input windows' first bytes (one per pixel of a run).
typealias InputQuad = (UnsafePointer<Int8>, UnsafePointer<Int8>, UnsafePointer<Int8>, UnsafePointer<Int8>)
/// Four output pixels' first bytes.
typealias OutputQuad = (
    UnsafeMutablePointer<Int8>, UnsafeMutablePointer<Int8>, UnsafeMutablePointer<Int8>, UnsafeMutablePointer<Int8>
)

/// Walks the output pixels of a non-grouped, non-dilated convolution (in ``Conv2DParameters/loopShapes``):
/// pixels whose window lies inside the image go to `interior` in runs of up to four along a row (with the
/// run's length), a shorter run repeating its last pixel (duplicate lanes write the same bytes again); the
/// others take the exact scalar ``conv2DBorderPixel(_:_:_:_:batch:inY:inX:)``.
@inline(__always)
func conv2DForEachInteriorQuad(
    _ p: Conv2DParameters, _ input: UnsafePointer<Int8>, _ filter: UnsafePointer<Int8>,
    _ output: UnsafeMutablePointer<Int8>, _ interior: (InputQuad, OutputQuad, _ count: Int) -> Void
) {
    let (inShape, outShape) = p.loopShapes
    let kh = p.filterShape.height
    let kw = p.filterShape.width
    let outDepth = outShape.depth
    let step = p.strideWidth * inShape.depth
    for batch in 0..<outShape.batch {
        for outY in 0..<outShape.height {
            let inY = outY * p.strideHeight - p.paddingHeight
            let rowInterior = inY >= 0 && inY + kh <= inShape.height
            var outX = 0
            while outX < outShape.width {
                let inX = outX * p.strideWidth - p.paddingWidth
                let out0 = output + outShape.offset(batch, outY, outX, 0)
                guard rowInterior && inX >= 0 && inX + kw <= inShape.width else {
                    conv2DBorderPixel(p, input, filter, out0, batch: batch, inY: inY, inX: inX)
                    outX += 1
                    continue
                }
                var count = 1
                while count < 4 && outX + count < outShape.width && inX + count * p.strideWidth + kw <= inShape.width {
                    count += 1
                }
                let x0 = input + inShape.offset(batch, inY, inX, 0)
                let xs = (x0, x0 + min(1, count - 1) * step, x0 + min(2, count - 1) * step, x0 + (count - 1) * step)
                let os = (
                    out0, out0 + min(1, count - 1) * outDepth, out0 + min(2, count - 1) * outDepth,
                    out0 + (count - 1) * outDepth
                )
                interior(xs, os, count)
                outX += count
            }
        }
    }
}
