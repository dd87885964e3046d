// MARK: - DEPTHWISE_CONV_2D (int8): reference kernel

/// Int8 per-channel depthwise convolution, a straight port of TFLite's
/// `reference_integer_ops::DepthwiseConvPerChannel`.
///
/// For output channel `oc = ic·depthMultiplier + m`:
/// `acc = Σ filter[0, ky, kx, oc] · (input[b, iy, ix, ic] + inputOffset)` over the taps inside the
/// image, `+ bias[oc]`, `MultiplyByQuantizedMultiplier` (double rounding), `+ outputOffset`, clamp.
/// Accumulation wraps on `Int32` overflow.
///
/// - Parameters:
///   - p: prepared parameters.
///   - input: `p.inputShape.elementCount` int8 values, NHWC.
///   - filter: `p.filterShape.elementCount` int8 values, `[1, KH, KW, C_out]` (the data given to prepare).
///   - output: `p.outputShape.elementCount` int8 values, NHWC; fully overwritten.
/// - Precondition: the span sizes match the shapes.
public func depthwiseConv2DReference(
    _ p: DepthwiseConv2DParameters, input: Span<Int8>, filter: Span<Int8>, output: inout MutableSpan<Int8>
) {
    precondition(input.count == p.inputShape.elementCount, "input size does not match the prepared shape")
    precondition(filter.count == p.filterShape.elementCount, "filter size does not match the prepared shape")
    precondition(output.count == p.outputShape.elementCount, "output size does not match the prepared shape")
    let inShape = p.inputShape
    let filterShape = p.filterShape
    let outShape = p.outputShape
    for batch in 0..<outShape.batch {
        for outY in 0..<outShape.height {
            for outX in 0..<outShape.width {
                for inChannel in 0..<inShape.depth {
                    for m in 0..<p.depthMultiplier {
                        let outChannel = m + inChannel * p.depthMultiplier
                        let inXOrigin = outX * p.strideWidth - p.paddingWidth
                        let inYOrigin = outY * p.strideHeight - p.paddingHeight
                        var acc: Int32 = 0
                        for filterY in 0..<filterShape.height {
                            for filterX in 0..<filterShape.width {
                                let inX = inXOrigin + p.dilationWidth * filterX
                                let inY = inYOrigin + p.dilationHeight * filterY
                                guard inX >= 0, inX < inShape.width, inY >= 0, inY < inShape.height else { continue }
                                let inputValue = Int32(input[inShape.offset(batch, inY, inX, inChannel)])
                                let filterValue = Int32(filter[filterShape.offset(0, filterY, filterX, outChannel)])
                                acc &+= filterValue &* (inputValue &+ p.inputOffset)
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
}
