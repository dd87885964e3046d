// MARK: - CONV_2D (int8): optimized kernel

/// Int8 dot-product micro-kernels shared by the optimized CONV_2D and FULLY_CONNECTED.
///
/// Each computes `Σ (x[k] + 128) · w[k]` over `segments` runs of `length` contiguous values; the
/// input offset, less 128, is folded into the bias at prepare time
/// (``ConvolutionQuantization/foldedBias(bias:filter:inputOffset:channels:)``), so with wrapping
/// int32 arithmetic the result equals TFLite's `Σ (x + inputOffset) · w` exactly. The `+ 128` makes
/// the input operand unsigned (0…255, its upper 24 bits known zero): LLVM can then multiply with
/// `pmaddwd` (one 16×16-bit product per 32-bit lane) and, with AVX-512 VNNI or AVX-VNNI, fuse the
/// accumulation into `vpdpwssd`, instead of `pmulld` + `paddd` (three times the micro-ops). The inner
/// loops are plain scalar loops that LLVM vectorizes.
enum DotKernels {
    /// `x + 128` as an unsigned value in 0…255 (flipping the sign bit of the two's complement byte).
    @inline(__always)
    static func biased(_ x: Int8) -> Int32 {
        Int32(UInt8(bitPattern: x) ^ 0x80)
    }

    /// Where the segments of one filter window lie.
    struct Segments {
        /// Number of contiguous runs (filter rows for a convolution, 1 for a 1×1 or FC).
        var count: Int
        /// Values per run.
        var length: Int
        /// Distance between runs in the input.
        var inputStride: Int
        /// Distance between consecutive output channels' weights.
        var channelStride: Int
    }

    /// Two pixels × four output channels; lanes 0–3 are pixel 0, lanes 4–7 pixel 1.
    @inline(__always)
    static func dot2x4(
        _ x0: UnsafePointer<Int8>, _ x1: UnsafePointer<Int8>, _ w: UnsafePointer<Int8>, _ s: Segments
    ) -> SIMD8<Int32> {
        var a0: Int32 = 0
        var a1: Int32 = 0
        var a2: Int32 = 0
        var a3: Int32 = 0
        var b0: Int32 = 0
        var b1: Int32 = 0
        var b2: Int32 = 0
        var b3: Int32 = 0
        for segment in 0..<s.count {
            let p0 = x0 + segment * s.inputStride
            let p1 = x1 + segment * s.inputStride
            let w0 = w + segment * s.length
            let w1 = w0 + s.channelStride
            let w2 = w1 + s.channelStride
            let w3 = w2 + s.channelStride
            for k in 0..<s.length {
                let u = biased(p0[k])
                let v = biased(p1[k])
                let f0 = Int32(w0[k])
                let f1 = Int32(w1[k])
                let f2 = Int32(w2[k])
                let f3 = Int32(w3[k])
                a0 &+= u &* f0
                a1 &+= u &* f1
                a2 &+= u &* f2
                a3 &+= u &* f3
                b0 &+= v &* f0
                b1 &+= v &* f1
                b2 &+= v &* f2
                b3 &+= v &* f3
            }
        }
        return SIMD8(a0, a1, a2, a3, b0, b1, b2, b3)
    }

    /// Four pixels × four output channels: lanes 0–3 / 4–7 of the first result are pixels 0 / 1,
    /// of the second pixels 2 / 3.
    @inline(__always)
    static func dot4x4(
        _ x: (UnsafePointer<Int8>, UnsafePointer<Int8>, UnsafePointer<Int8>, UnsafePointer<Int8>),
        _ w: UnsafePointer<Int8>, _ s: Segments
    ) -> (SIMD8<Int32>, SIMD8<Int32>) {
        var a0: Int32 = 0
        var a1: Int32 = 0
        var a2: Int32 = 0
        var a3: Int32 = 0
        var b0: Int32 = 0
        var b1: Int32 = 0
        var b2: Int32 = 0
        var b3: Int32 = 0
        var c0: Int32 = 0
        var c1: Int32 = 0
        var c2: Int32 = 0
        var c3: Int32 = 0
        var d0: Int32 = 0
        var d1: Int32 = 0
        var d2: Int32 = 0
        var d3: Int32 = 0
        for segment in 0..<s.count {
            let offset = segment * s.inputStride
            let p0 = x.0 + offset
            let p1 = x.1 + offset
            let p2 = x.2 + offset
            let p3 = x.3 + offset
            let w0 = w + segment * s.length
            let w1 = w0 + s.channelStride
            let w2 = w1 + s.channelStride
            let w3 = w2 + s.channelStride
            for k in 0..<s.length {
                let u = biased(p0[k])
                let v = biased(p1[k])
                let y = biased(p2[k])
                let z = biased(p3[k])
                let f0 = Int32(w0[k])
                let f1 = Int32(w1[k])
                let f2 = Int32(w2[k])
                let f3 = Int32(w3[k])
                a0 &+= u &* f0
                a1 &+= u &* f1
                a2 &+= u &* f2
                a3 &+= u &* f3
                b0 &+= v &* f0
                b1 &+= v &* f1
                b2 &+= v &* f2
                b3 &+= v &* f3
                c0 &+= y &* f0
                c1 &+= y &* f1
                c2 &+= y &* f2
                c3 &+= y &* f3
                d0 &+= z &* f0
                d1 &+= z &* f1
                d2 &+= z &* f2
                d3 &+= z &* f3
            }
        }
        return (SIMD8(a0, a1, a2, a3, b0, b1, b2, b3), SIMD8(c0, c1, c2, c3, d0, d1, d2, d3))
    }

    /// Computes all `channels` outputs of four pixels.
    @inline(__always)
    static func quad(
        _ x: (UnsafePointer<Int8>, UnsafePointer<Int8>, UnsafePointer<Int8>, UnsafePointer<Int8>),
        _ w: UnsafePointer<Int8>, _ s: Segments, channels: Int, constants k: Constants,
        _ out: (
            UnsafeMutablePointer<Int8>, UnsafeMutablePointer<Int8>, UnsafeMutablePointer<Int8>,
            UnsafeMutablePointer<Int8>
        )
    ) {
        var c = 0
        while c + 4 <= channels {
            let (first, second) = dot4x4(x, w + c * s.channelStride, s)
            finish2x4(first, channel: c, constants: k, out.0, out.1)
            finish2x4(second, channel: c, constants: k, out.2, out.3)
            c += 4
        }
        while c < channels {
            let filterRow = w + c * s.channelStride
            out.0[c] = finish1(dot1x1(x.0, filterRow, s), channel: c, constants: k)
            out.1[c] = finish1(dot1x1(x.1, filterRow, s), channel: c, constants: k)
            out.2[c] = finish1(dot1x1(x.2, filterRow, s), channel: c, constants: k)
            out.3[c] = finish1(dot1x1(x.3, filterRow, s), channel: c, constants: k)
            c += 1
        }
    }

    /// One pixel × four output channels.
    @inline(__always)
    static func dot1x4(_ x0: UnsafePointer<Int8>, _ w: UnsafePointer<Int8>, _ s: Segments) -> SIMD4<Int32> {
        var a0: Int32 = 0
        var a1: Int32 = 0
        var a2: Int32 = 0
        var a3: Int32 = 0
        for segment in 0..<s.count {
            let p0 = x0 + segment * s.inputStride
            let w0 = w + segment * s.length
            let w1 = w0 + s.channelStride
            let w2 = w1 + s.channelStride
            let w3 = w2 + s.channelStride
            for k in 0..<s.length {
                let u = biased(p0[k])
                a0 &+= u &* Int32(w0[k])
                a1 &+= u &* Int32(w1[k])
                a2 &+= u &* Int32(w2[k])
                a3 &+= u &* Int32(w3[k])
            }
        }
        return SIMD4(a0, a1, a2, a3)
    }

    /// One pixel × one output channel.
    @inline(__always)
    static func dot1x1(_ x0: UnsafePointer<Int8>, _ w: UnsafePointer<Int8>, _ s: Segments) -> Int32 {
        var a0: Int32 = 0
        for segment in 0..<s.count {
            let p0 = x0 + segment * s.inputStride
            let w0 = w + segment * s.length
            for k in 0..<s.length { a0 &+= biased(p0[k]) &* Int32(w0[k]) }
        }
        return a0
    }

    /// Loads four `Int32` values.
    @inline(__always)
    static func load4(_ p: UnsafePointer<Int32>) -> SIMD4<Int32> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Int32>.self)
    }

    /// Loads sixteen `Int8` values and sign-extends them to `Int16`.
    ///
    /// Built from two eight-lane conversions: the sixteen-lane generic initializer is not inlined
    /// and would turn every use into a call (spilling the accumulators).
    @inline(__always)
    static func load16Widened(_ p: UnsafePointer<Int8>) -> SIMD16<Int16> {
        let raw = UnsafeRawPointer(p)
        return SIMD16<Int16>(
            lowHalf: Lanes.widen(raw.loadUnaligned(as: SIMD8<Int8>.self)),
            highHalf: Lanes.widen(raw.loadUnaligned(fromByteOffset: 8, as: SIMD8<Int8>.self)))
    }

    /// Loads eight `Int32` values.
    @inline(__always)
    static func load8(_ p: UnsafePointer<Int32>) -> SIMD8<Int32> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Int32>.self)
    }

    /// Folded bias, requantization and stores for a 2×4 block.
    @inline(__always)
    static func finish2x4(
        _ acc: SIMD8<Int32>, channel c: Int, constants k: Constants,
        _ out0: UnsafeMutablePointer<Int8>, _ out1: UnsafeMutablePointer<Int8>
    ) {
        let bias = load4(k.bias + c)
        let multiplier = load4(k.multipliers + c)
        let shift = load4(k.shifts + c)
        let r = VectorRequantization.apply(
            acc &+ SIMD8(lowHalf: bias, highHalf: bias), multiplier: SIMD8(lowHalf: multiplier, highHalf: multiplier),
            shift: SIMD8(lowHalf: shift, highHalf: shift), offset: k.outputOffset, min: k.activationMin,
            max: k.activationMax)
        let bytes = Lanes.narrow(r)
        UnsafeMutableRawPointer(out0 + c).storeBytes(of: bytes.lowHalf, as: SIMD4<Int8>.self)
        UnsafeMutableRawPointer(out1 + c).storeBytes(of: bytes.highHalf, as: SIMD4<Int8>.self)
    }

    /// Folded bias, requantization and store for a 1×4 block.
    @inline(__always)
    static func finish1x4(
        _ acc: SIMD4<Int32>, channel c: Int, constants k: Constants, _ out0: UnsafeMutablePointer<Int8>
    ) {
        let bias = load4(k.bias + c)
        let multiplier = load4(k.multipliers + c)
        let shift = load4(k.shifts + c)
        let sum = acc &+ bias
        let r = VectorRequantization.apply(
            SIMD8(lowHalf: sum, highHalf: sum), multiplier: SIMD8(lowHalf: multiplier, highHalf: multiplier),
            shift: SIMD8(lowHalf: shift, highHalf: shift), offset: k.outputOffset, min: k.activationMin,
            max: k.activationMax)
        UnsafeMutableRawPointer(out0 + c).storeBytes(
            of: Lanes.narrow(r).lowHalf, as: SIMD4<Int8>.self)
    }

    /// Folded bias and scalar requantization of one value.
    @inline(__always)
    static func finish1(_ acc: Int32, channel c: Int, constants k: Constants) -> Int8 {
        var value = FixedPoint.multiplyByQuantizedMultiplier(acc &+ k.bias[c], k.multipliers[c], shift: k.shifts[c])
        value &+= k.outputOffset
        value = min(max(value, k.activationMin), k.activationMax)
        return Int8(truncatingIfNeeded: value)
    }

    /// Per-channel constants as raw pointers (valid only inside the kernels' closures).
    struct Constants {
        var bias: UnsafePointer<Int32>
        var multipliers: UnsafePointer<Int32>
        var shifts: UnsafePointer<Int32>
        var outputOffset: Int32
        var activationMin: Int32
        var activationMax: Int32
    }

    /// Computes all `channels` outputs of one pixel (`pair == false`) or of two pixels.
    @inline(__always)
    static func pixels(
        pair: Bool, _ x0: UnsafePointer<Int8>, _ x1: UnsafePointer<Int8>, _ w: UnsafePointer<Int8>, _ s: Segments,
        channels: Int, constants k: Constants, _ out0: UnsafeMutablePointer<Int8>, _ out1: UnsafeMutablePointer<Int8>
    ) {
        var c = 0
        if pair {
            while c + 4 <= channels {
                finish2x4(dot2x4(x0, x1, w + c * s.channelStride, s), channel: c, constants: k, out0, out1)
                c += 4
            }
            while c < channels {
                let filterRow = w + c * s.channelStride
                out0[c] = finish1(dot1x1(x0, filterRow, s), channel: c, constants: k)
                out1[c] = finish1(dot1x1(x1, filterRow, s), channel: c, constants: k)
                c += 1
            }
        } else {
            while c + 4 <= channels {
                finish1x4(dot1x4(x0, w + c * s.channelStride, s), channel: c, constants: k, out0)
                c += 4
            }
            while c < channels {
                out0[c] = finish1(dot1x1(x0, w + c * s.channelStride, s), channel: c, constants: k)
                c += 1
            }
        }
    }
}

/// Int8 convolution, optimized; bit-exact with ``conv2DReference(_:input:filter:output:)``.
///
/// Pixels whose window lies inside the image start from the folded bias
/// `bias + (inputOffset − 128) · Σ filter` and accumulate `Σ (x + 128) · w`. With at least eight output
/// channels this is a sum of outer products, vectorized over output channels (four pixels × 32 or 16
/// channels at a time, the filter transposed at prepare time); with fewer, vectorized dot products
/// over the window, four (or two, or one) pixels × four output channels at a time (one contiguous run
/// of `KW · C_in` values per filter row). With at least eight output channels on a CPU with AVX-512 VNNI,
/// the accumulation runs on `vpdpbusd` instead (``HardwareDotProduct``, prepared when the parameters were).
/// Eight lanes are requantized at once. Border pixels (where
/// padded taps contribute nothing) take an exact scalar path. Grouped or dilated convolutions use the
/// reference kernel. The outer-product form measured faster at every depth in MobileNet v2 (e.g.
/// 0.065 → 0.036 ns per multiply-accumulate for a 1×1 convolution from 96 to 576 channels).
///
/// - Parameters:
///   - p: prepared parameters.
///   - input: `p.inputShape.elementCount` int8 values, NHWC.
///   - filter: the filter data given to prepare, OHWI.
///   - output: `p.outputShape.elementCount` int8 values, NHWC; fully overwritten.
/// - Precondition: the span sizes match the shapes.
public func conv2DOptimized(
    _ p: Conv2DParameters, input: Span<Int8>, filter: Span<Int8>, output: inout MutableSpan<Int8>
) {
    precondition(input.count == p.inputShape.elementCount, "input size does not match the prepared shape")
    precondition(filter.count == p.filterShape.elementCount, "filter size does not match the prepared shape")
    precondition(output.count == p.outputShape.elementCount, "output size does not match the prepared shape")
    if p.groups != 1 || p.dilationHeight != 1 || p.dilationWidth != 1 {
        conv2DReference(p, input: input, filter: filter, output: &output)
        return
    }
    input.withUnsafeBufferPointer { inBuffer in
        filter.withUnsafeBufferPointer { filterBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                p.foldedBias.withUnsafeBufferPointer { bias in
                    p.outputMultipliers.withUnsafeBufferPointer { multipliers in
                        p.outputShifts.withUnsafeBufferPointer { shifts in
                            let constants = DotKernels.Constants(
                                bias: bias.baseAddress!, multipliers: multipliers.baseAddress!,
                                shifts: shifts.baseAddress!, outputOffset: p.outputOffset,
                                activationMin: p.activationMin, activationMax: p.activationMax)
                            #if canImport(CPerchDot)
                                if !p.dotProductFilter.isEmpty {
                                    p.dotProductFilter.withUnsafeBufferPointer { packed in
                                        conv2DDotProductBody(
                                            p, inBuffer.baseAddress!, filterBuffer.baseAddress!, packed.baseAddress!,
                                            outBuffer.baseAddress!, constants)
                                    }
                                    return
                                }
                            #endif
                            if p.transposedFilter.isEmpty {
                                conv2DOptimizedBody(
                                    p, inBuffer.baseAddress!, filterBuffer.baseAddress!, outBuffer.baseAddress!,
                                    constants)
                            } else {
                                p.transposedFilter.withUnsafeBufferPointer { transposed in
                                    conv2DChannelVectorizedBody(
                                        p, inBuffer.baseAddress!, filterBuffer.baseAddress!, transposed.baseAddress!,
                                        outBuffer.baseAddress!, constants)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

extension Conv2DParameters {
    /// The input and output shapes the optimized loops walk. A 1×1 stride-1 convolution maps pixel `i`
    /// to pixel `i`, so its `N·H·W` pixels are walked as one row: every tile then has four pixels except
    /// at most one at the very end, instead of a short tile at the end of every image row.
    var loopShapes: (input: Shape4, output: Shape4) {
        guard
            filterShape.height == 1 && filterShape.width == 1 && strideHeight == 1 && strideWidth == 1
                && paddingHeight == 0 && paddingWidth == 0
        else { return (inputShape, outputShape) }
        let pixels = outputShape.batch * outputShape.height * outputShape.width
        return (
            Shape4(batch: 1, height: 1, width: pixels, depth: inputShape.depth),
            Shape4(batch: 1, height: 1, width: pixels, depth: outputShape.depth)
        )
    }
}

/// The optimized loop nest over pixels (non-grouped, non-dilated).
private func conv2DOptimizedBody(
    _ p: Conv2DParameters, _ input: UnsafePointer<Int8>, _ filter: UnsafePointer<Int8>,
    _ output: UnsafeMutablePointer<Int8>, _ constants: DotKernels.Constants
) {
    let (inShape, outShape) = p.loopShapes
    let kh = p.filterShape.height
    let kw = p.filterShape.width
    let inDepth = inShape.depth
    let outDepth = outShape.depth
    let inputRowStride = inShape.width * inDepth
    let segments = DotKernels.Segments(
        count: kh, length: kw * inDepth, inputStride: inputRowStride, channelStride: kh * kw * inDepth)
    conv2DForEachInteriorQuad(p, input, filter, output) { xs, os, count in
        if count == 4 {
            DotKernels.quad(xs, filter, segments, channels: outDepth, constants: constants, os)
            return
        }
        // A shorter run: a pair (or a single pixel), then the third pixel on its own.
        DotKernels.pixels(
            pair: count >= 2, xs.0, xs.1, filter, segments, channels: outDepth, constants: constants, os.0, os.1)
        if count == 3 {
            DotKernels.pixels(
                pair: false, xs.2, xs.2, filter, segments, channels: outDepth, constants: constants, os.2, os.2)
        }
    }
}

/// One output pixel whose window leaves the image: `Σ w · (x + inputOffset)` over in-bounds taps.
func conv2DBorderPixel(
    _ p: Conv2DParameters, _ input: UnsafePointer<Int8>, _ filter: UnsafePointer<Int8>,
    _ out: UnsafeMutablePointer<Int8>, batch: Int, inY: Int, inX: Int
) {
    let inShape = p.inputShape
    let filterShape = p.filterShape
    let yStart = max(0, -inY)
    let yEnd = min(filterShape.height, inShape.height - inY)
    let xStart = max(0, -inX)
    let xEnd = min(filterShape.width, inShape.width - inX)
    let depth = inShape.depth
    for channel in 0..<filterShape.batch {
        var acc: Int32 = p.bias[channel]
        if yStart < yEnd && xStart < xEnd {
            for filterY in yStart..<yEnd {
                let run = (xEnd - xStart) * depth
                let x = input + inShape.offset(batch, inY + filterY, inX + xStart, 0)
                let w = filter + filterShape.offset(channel, filterY, xStart, 0)
                for k in 0..<run { acc &+= Int32(w[k]) &* (Int32(x[k]) &+ p.inputOffset) }
            }
        }
        var value = FixedPoint.multiplyByQuantizedMultiplier(
            acc, p.outputMultipliers[channel], shift: p.outputShifts[channel])
        value &+= p.outputOffset
        out[channel] = Int8(truncatingIfNeeded: min(max(value, p.activationMin), p.activationMax))
    }
}
