// MARK: - AVERAGE_POOL_2D / MAX_POOL_2D (int8): reference kernels

/// Int8 average pooling, a straight port of TFLite's `reference_integer_ops::AveragePool`.
///
/// The window is clipped to the image; `acc` is the sum of the `n` in-bounds values and the result
/// is `acc > 0 ? (acc + n/2) / n : (acc − n/2) / n` with truncating division (round half away from
/// zero), then clamped to the activation range. Every window of a SAME or VALID pool holds at least
/// one in-bounds tap, so `n ≥ 1`.
///
/// - Parameters:
///   - p: prepared parameters.
///   - input: `p.inputShape.elementCount` int8 values, NHWC.
///   - output: `p.outputShape.elementCount` int8 values, NHWC; fully overwritten.
/// - Precondition: the span sizes match the shapes.
public func averagePool2DReference(_ p: Pool2DParameters, input: Span<Int8>, output: inout MutableSpan<Int8>) {
    precondition(input.count == p.inputShape.elementCount, "input size does not match the prepared shape")
    precondition(output.count == p.outputShape.elementCount, "output size does not match the prepared shape")
    let inShape = p.inputShape
    let outShape = p.outputShape
    for batch in 0..<outShape.batch {
        for outY in 0..<outShape.height {
            for outX in 0..<outShape.width {
                for channel in 0..<outShape.depth {
                    let inXOrigin = outX * p.strideWidth - p.paddingWidth
                    let inYOrigin = outY * p.strideHeight - p.paddingHeight
                    let filterXStart = max(0, -inXOrigin)
                    let filterXEnd = min(p.filterWidth, inShape.width - inXOrigin)
                    let filterYStart = max(0, -inYOrigin)
                    let filterYEnd = min(p.filterHeight, inShape.height - inYOrigin)
                    var acc: Int32 = 0
                    var count: Int32 = 0
                    for filterY in filterYStart..<max(filterYStart, filterYEnd) {
                        for filterX in filterXStart..<max(filterXStart, filterXEnd) {
                            acc += Int32(
                                input[inShape.offset(batch, inYOrigin + filterY, inXOrigin + filterX, channel)])
                            count += 1
                        }
                    }
                    precondition(count > 0, "pooling window outside the image")
                    acc = acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count
                    acc = max(acc, p.activationMin)
                    acc = min(acc, p.activationMax)
                    output[outShape.offset(batch, outY, outX, channel)] = Int8(acc)
                }
            }
        }
    }
}

/// Int8 max pooling, a straight port of TFLite's `reference_integer_ops::MaxPool`.
///
/// The window is clipped to the image; the result is the largest in-bounds value (starting from
/// −128), clamped to the activation range.
///
/// - Parameters:
///   - p: prepared parameters.
///   - input: `p.inputShape.elementCount` int8 values, NHWC.
///   - output: `p.outputShape.elementCount` int8 values, NHWC; fully overwritten.
/// - Precondition: the span sizes match the shapes.
public func maxPool2DReference(_ p: Pool2DParameters, input: Span<Int8>, output: inout MutableSpan<Int8>) {
    precondition(input.count == p.inputShape.elementCount, "input size does not match the prepared shape")
    precondition(output.count == p.outputShape.elementCount, "output size does not match the prepared shape")
    let inShape = p.inputShape
    let outShape = p.outputShape
    for batch in 0..<outShape.batch {
        for outY in 0..<outShape.height {
            for outX in 0..<outShape.width {
                for channel in 0..<outShape.depth {
                    let inXOrigin = outX * p.strideWidth - p.paddingWidth
                    let inYOrigin = outY * p.strideHeight - p.paddingHeight
                    let filterXStart = max(0, -inXOrigin)
                    let filterXEnd = min(p.filterWidth, inShape.width - inXOrigin)
                    let filterYStart = max(0, -inYOrigin)
                    let filterYEnd = min(p.filterHeight, inShape.height - inYOrigin)
                    var maximum = Int8.min
                    for filterY in filterYStart..<max(filterYStart, filterYEnd) {
                        for filterX in filterXStart..<max(filterXStart, filterXEnd) {
                            maximum = max(
                                maximum, input[inShape.offset(batch, inYOrigin + filterY, inXOrigin + filterX, channel)]
                            )
                        }
                    }
                    let clamped = min(max(Int32(maximum), p.activationMin), p.activationMax)
                    output[outShape.offset(batch, outY, outX, channel)] = Int8(clamped)
                }
            }
        }
    }
}
