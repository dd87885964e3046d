// MARK: - CONV_2D (int8): reference kernel

/// Int8 per-channel convolution, a straight port of TFLite's `reference_integer_ops::ConvPerChannel`.
///
/// For every output `(b, y, x, c)` in group `g = c / (C_out / groups)`:
/// `acc = Σ filter[c, ky, kx, i] · (input[b, iy, ix, g·C_in/groups + i] + inputOffset)` over the taps
/// inside the image (padded taps contribute nothing), then `acc += bias[c]`,
/// `MultiplyByQuantizedMultiplier` (double rounding), `+ outputOffset`, clamp to the activation
/// range. Accumulation wraps on `Int32` overflow, as TFLite's two's-complement arithmetic does.
///
/// - Parameters:
///   - p: prepared parameters.
///   - input: `p.inputShape.elementCount` int8 values, NHWC.
///   - filter: `p.filterShape.elementCount` int8 values, OHWI (the data given to prepare).
///   - output: `p.outputShape.elementCount` int8 values, NHWC; fully overwritten.
/// - Precondition: the span sizes match the shapes.
public func conv2DReference(
    _ p: Conv2DParameters, input: Span<Int8>, filter: Span<Int8>, output: inout MutableSpan<Int8>
) {
    precondition(input.count == p.inputShape.elementCount, "input size does not match the prepared shape")
    precondition(filter.count == p.filterShape.elementCount, "filter size does not match the prepared shape")
    precondition(output.count == p.outputShape.elementCount, "output size does not match the prepared shape")
    let inShape = p.inputShape
    let filterShape = p.filterShape
    let outShape = p.outputShape
    let filterInputDepth = filterShape.depth
    let filtersPerGroup = outShape.depth / p.groups
    for batch in 0..<outShape.batch {
        for outY in 0..<outShape.height {
            let inYOrigin = outY * p.strideHeight - p.paddingHeight
            for outX in 0..<outShape.width {
                let inXOrigin = outX * p.strideWidth - p.paddingWidth
                for outChannel in 0..<outShape.depth {
                    let group = outChannel / filtersPerGroup
                    var acc: Int32 = 0
                    for filterY in 0..<filterShape.height {
                        let inY = inYOrigin + p.dilationHeight * filterY
                        for filterX in 0..<filterShape.width {
                            let inX = inXOrigin + p.dilationWidth * filterX
                            // Zero padding by omitting the taps outside the image.
                            guard inX >= 0, inX < inShape.width, inY >= 0, inY < inShape.height else { continue }
                            for inChannel in 0..<filterInputDepth {
                                let inputValue = Int32(
                                    input[inShape.offset(batch, inY, inX, inChannel + group * filterInputDepth)])
                                let filterValue = Int32(
                                    filter[filterShape.offset(outChannel, filterY, filterX, inChannel)])
                                acc &+= filterValue &* (inputValue &+ p.inputOffset)
                            }
                        }
                    }
                    acc &+= p.bias[outChannel]
                    acc = FixedPoint.multiplyByQuantizedMultiplier(
                        acc, p.outputMultipliers[outChannel], shift: p.outputShifts[outChannel])
                    acc &+= p.outputOffset
                    acc = max(acc, p.activationMin)
                    acc = min(acc, p.activationMax)
                    output[outShape.offset(batch, outY, outX, outChannel)] = Int8(acc)
                }
            }
        }
    }
}
