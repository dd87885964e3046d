// MARK: - DEPTHWISE_CONV_2D (int8): optimized kernel

/// Int8 depthwise convolution, optimized; bit-exact with
/// ``depthwiseConv2DReference(_:input:filter:output:)``.
///
/// Vectorized over channels (depth multiplier 1): for each output pixel, sixteen (then eight) channels at a time
/// accumulate `w · (x + inputOffset)` over the in-bounds taps. The product is exact in `Int16`
/// (`|x + inputOffset| ≤ 255`, `|w| ≤ 128`, so `|product| ≤ 32640`) and is widened to `Int32` before
/// summing; eight lanes are requantized at once. Padded taps are skipped, as in TFLite. Other depth
/// multipliers use the reference kernel.
///
/// - Parameters:
///   - p: prepared parameters.
///   - input: `p.inputShape.elementCount` int8 values, NHWC.
///   - filter: the `[1, KH, KW, C_out]` data given to prepare.
///   - output: `p.outputShape.elementCount` int8 values, NHWC; fully overwritten.
/// - Precondition: the span sizes match the shapes.
public func depthwiseConv2DOptimized(
    _ p: DepthwiseConv2DParameters, input: Span<Int8>, filter: Span<Int8>, output: inout MutableSpan<Int8>
) {
    precondition(input.count == p.inputShape.elementCount, "input size does not match the prepared shape")
    precondition(filter.count == p.filterShape.elementCount, "filter size does not match the prepared shape")
    precondition(output.count == p.outputShape.elementCount, "output size does not match the prepared shape")
    if p.depthMultiplier != 1 {
        depthwiseConv2DReference(p, input: input, filter: filter, output: &output)
        return
    }
    input.withUnsafeBufferPointer { inBuffer in
        filter.withUnsafeBufferPointer { filterBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                p.bias.withUnsafeBufferPointer { bias in
                    p.outputMultipliers.withUnsafeBufferPointer { multipliers in
                        p.outputShifts.withUnsafeBufferPointer { shifts in
                            let constants = DotKernels.Constants(
                                bias: bias.baseAddress!, multipliers: multipliers.baseAddress!,
                                shifts: shifts.baseAddress!, outputOffset: p.outputOffset,
                                activationMin: p.activationMin, activationMax: p.activationMax)
                            depthwiseBody(
                                p, inBuffer.baseAddress!, filterBuffer.baseAddress!, outBuffer.baseAddress!, constants)
                        }
                    }
                }
            }
        }
    }
}

/// The loop nest over output pixels and channel blocks.
private func depthwiseBody(
    _ p: DepthwiseConv2DParameters, _ input: UnsafePointer<Int8>, _ filter: UnsafePointer<Int8>,
    _ output: UnsafeMutablePointer<Int8>, _ k: DotKernels.Constants
) {
    let inShape = p.inputShape
    let outShape = p.outputShape
    let kh = p.filterShape.height
    let kw = p.filterShape.width
    let depth = outShape.depth
    let offset16 = SIMD16<Int16>(repeating: Int16(truncatingIfNeeded: p.inputOffset))
    for batch in 0..<outShape.batch {
        for outY in 0..<outShape.height {
            let inYOrigin = outY * p.strideHeight - p.paddingHeight
            for outX in 0..<outShape.width {
                let inXOrigin = outX * p.strideWidth - p.paddingWidth
                let out = output + outShape.offset(batch, outY, outX, 0)
                var c = 0
                while c + 16 <= depth {
                    var acc0 = DotKernels.load8(k.bias + c)
                    var acc1 = DotKernels.load8(k.bias + c + 8)
                    for filterY in 0..<kh {
                        let inY = inYOrigin + p.dilationHeight * filterY
                        if inY < 0 || inY >= inShape.height { continue }
                        for filterX in 0..<kw {
                            let inX = inXOrigin + p.dilationWidth * filterX
                            if inX < 0 || inX >= inShape.width { continue }
                            let x = DotKernels.load16Widened(input + inShape.offset(batch, inY, inX, c))
                            let w = DotKernels.load16Widened(filter + ((filterY &* kw &+ filterX) &* depth &+ c))
                            let product = (x &+ offset16) &* w
                            acc0 &+= Lanes.widen(product.lowHalf)
                            acc1 &+= Lanes.widen(product.highHalf)
                        }
                    }
                    let r0 = VectorRequantization.apply(
                        acc0, multiplier: DotKernels.load8(k.multipliers + c), shift: DotKernels.load8(k.shifts + c),
                        offset: k.outputOffset, min: k.activationMin, max: k.activationMax)
                    let r1 = VectorRequantization.apply(
                        acc1, multiplier: DotKernels.load8(k.multipliers + c + 8),
                        shift: DotKernels.load8(k.shifts + c + 8), offset: k.outputOffset, min: k.activationMin,
                        max: k.activationMax)
                    let bytes = SIMD16<Int8>(
                        lowHalf: Lanes.narrow(r0), highHalf: Lanes.narrow(r1))
                    UnsafeMutableRawPointer(out + c).storeBytes(of: bytes, as: SIMD16<Int8>.self)
                    c += 16
                }
                while c + 8 <= depth {
                    var acc = DotKernels.load8(k.bias + c)
                    for filterY in 0..<kh {
                        let inY = inYOrigin + p.dilationHeight * filterY
                        if inY < 0 || inY >= inShape.height { continue }
                        for filterX in 0..<kw {
                            let inX = inXOrigin + p.dilationWidth * filterX
                            if inX < 0 || inX >= inShape.width { continue }
                            let x = UnsafeRawPointer(input + inShape.offset(batch, inY, inX, c))
                                .loadUnaligned(as: SIMD8<Int8>.self)
                            let w = UnsafeRawPointer(filter + ((filterY &* kw &+ filterX) &* depth &+ c))
                                .loadUnaligned(as: SIMD8<Int8>.self)
                            let product =
                                (Lanes.widen(x) &+ offset16.lowHalf)
                                &* Lanes.widen(w)
                            acc &+= Lanes.widen(product)
                        }
                    }
                    let r = VectorRequantization.apply(
                        acc, multiplier: DotKernels.load8(k.multipliers + c), shift: DotKernels.load8(k.shifts + c),
                        offset: k.outputOffset, min: k.activationMin, max: k.activationMax)
                    UnsafeMutableRawPointer(out + c).storeBytes(
                        of: Lanes.narrow(r), as: SIMD8<Int8>.self)
                    c += 8
                }
                while c < depth {
                    var acc = k.bias[c]
                    for filterY in 0..<kh {
                        let inY = inYOrigin + p.dilationHeight * filterY
                        if inY < 0 || inY >= inShape.height { continue }
                        for filterX in 0..<kw {
                            let inX = inXOrigin + p.dilationWidth * filterX
                            if inX < 0 || inX >= inShape.width { continue }
                            let x = Int32(input[inShape.offset(batch, inY, inX, c)])
                            let w = Int32(filter[(filterY * kw + filterX) * depth + c])
                            acc &+= w &* (x &+ p.inputOffset)
                        }
                    }
                    var value = FixedPoint.multiplyByQuantizedMultiplier(acc, k.multipliers[c], shift: k.shifts[c])
                    value &+= k.outputOffset
                    out[c] = Int8(truncatingIfNeeded: min(max(value, k.activationMin), k.activationMax))
                    c += 1
                }
            }
        }
    }
}
