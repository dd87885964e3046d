/// Int8 RESIZE_BILINEAR, TFLite reference (`reference_ops::ResizeBilinearInteger`).
///
/// For each output row/column the Q10 source coordinate is `v · scale` (plus `scale/2 − 2^9` with
/// half-pixel centers); the lower neighbour is `max(coord / 2^10, 0)` (C division, toward zero) and
/// the upper `min(ceil(coord / 2^10), in − 1)`. The four neighbours are weighted in Q20 (64-bit)
/// and the sum is rounded half away from zero: `(sum ± 2^19) / 2^20` (TFLite's double-rounding
/// build), then stored as int8.
///
/// - Parameters:
///   - p: Prepared parameters.
///   - input: The input, `p.inputShape.elementCount` elements (NHWC).
///   - output: The output, `p.outputShape.elementCount` elements (NHWC).
/// - Precondition: The buffers have the prepared sizes.
public func resizeBilinearReference(
    _ p: ResizeBilinearParameters, input: Span<Int8>, output: inout MutableSpan<Int8>
) {
    let inShape = p.inputShape
    let outShape = p.outputShape
    precondition(input.count == inShape.elementCount && output.count == outShape.elementCount)
    let one: Int32 = 1 << 10
    for b in 0..<outShape.batch {
        for y in 0..<outShape.height {
            let (inputY, y0, y1) = resizeInterpolationValues(
                Int32(y), scale: p.heightScale, halfPixelCenters: p.halfPixelCenters, inputSize: Int32(inShape.height)
            )
            for x in 0..<outShape.width {
                let (inputX, x0, x1) = resizeInterpolationValues(
                    Int32(x), scale: p.widthScale, halfPixelCenters: p.halfPixelCenters, inputSize: Int32(inShape.width)
                )
                let dy = Int64(inputY - one * y0)
                let dx = Int64(inputX - one * x0)
                let wy0 = Int64(one) - dy
                let wx0 = Int64(one) - dx
                for c in 0..<outShape.depth {
                    let ll = Int64(input[inShape.offset(b, Int(y0), Int(x0), c)]) * wy0 * wx0
                    let lu = Int64(input[inShape.offset(b, Int(y1), Int(x0), c)]) * dy * wx0
                    let rl = Int64(input[inShape.offset(b, Int(y0), Int(x1), c)]) * wy0 * dx
                    let ru = Int64(input[inShape.offset(b, Int(y1), Int(x1), c)]) * dy * dx
                    let sum = ll + lu + rl + ru
                    let round: Int64 = sum > 0 ? (1 << 19) : -(1 << 19)
                    output[outShape.offset(b, y, x, c)] = Int8(truncatingIfNeeded: (sum + round) / (1 << 20))
                }
            }
        }
    }
}

/// TFLite `ComputeInterpolationValuesInteger`: the Q10 source coordinate and its two neighbours.
@inline(__always)
func resizeInterpolationValues(
    _ value: Int32, scale: Int32, halfPixelCenters: Bool, inputSize: Int32
) -> (scaled: Int32, lower: Int32, upper: Int32) {
    let scaled = halfPixelCenters ? value * scale + scale / 2 - (1 << 9) : value * scale
    let lower = max(scaled / (1 << 10), 0)
    let upper = min((scaled + (1 << 10) - 1) / (1 << 10), inputSize - 1)
    return (scaled, lower, upper)
}
