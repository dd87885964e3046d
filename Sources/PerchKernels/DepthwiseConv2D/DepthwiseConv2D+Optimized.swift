// MARK: - DEPTHWISE_CONV_2D (int8): optimized kernel

/// Int8 depthwise convolution, optimized; bit-exact with
/// ``depthwiseConv2DReference(_:input:filter:output:)``.
///
/// Vectorized over output channels: for each output pixel, sixteen (then eight) channels at a time
/// accumulate `w · (x + inputOffset)` over the in-bounds taps. Output channel `oc` reads input channel
/// `oc / depthMultiplier`: a contiguous load for a multiplier of 1, one broadcast value when the
/// multiplier is a multiple of the block width (e.g. 8, as in person_detect's first layer), lane-by-lane
/// loads otherwise. The product is exact in `Int16`
/// (`|x + inputOffset| ≤ 255`, `|w| ≤ 128`, so `|product| ≤ 32640`) and is widened to `Int32` before
/// summing; eight lanes are requantized at once. Padded taps are skipped, as in TFLite.
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
    input.withUnsafeBufferPointer { inBuffer in
        filter.withUnsafeBufferPointer { filterBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                p.bias.withUnsafeBufferPointer { bias in
                    p.outputMultipliers.withUnsafeBufferPointer { multipliers in
                        p.outputShifts.withUnsafeBufferPointer { shifts in
                            p.foldedBias.withUnsafeBufferPointer { folded in
                                let constants = DotKernels.Constants(
                                    bias: bias.baseAddress!, multipliers: multipliers.baseAddress!,
                                    shifts: shifts.baseAddress!, outputOffset: p.outputOffset,
                                    activationMin: p.activationMin, activationMax: p.activationMax)
                                depthwiseBody(
                                    p, inBuffer.baseAddress!, filterBuffer.baseAddress!, outBuffer.baseAddress!,
                                    constants, folded.baseAddress!)
                            }
                        }
                    }
                }
            }
        }
    }
}

/// How a block of output channels finds its input values in one input pixel.
///
/// Output channel `oc` reads input channel `oc / depthMultiplier`. With a multiplier of 1 a block's
/// inputs are contiguous; when the multiplier is a multiple of the block width every lane of a block
/// reads the same input channel (one broadcast); otherwise each lane is loaded on its own.
private enum LaneSource {
    case contiguous
    case broadcast
    case gather

    init(multiplier: Int, width: Int) {
        if multiplier == 1 {
            self = .contiguous
        } else if multiplier % width == 0 {
            self = .broadcast
        } else {
            self = .gather
        }
    }

    /// Input values of output channels `c ..< c + 16` in the pixel at `pixel`, widened.
    @inline(__always)
    func load16(_ pixel: UnsafePointer<Int8>, _ c: Int, multiplier m: Int) -> SIMD16<Int16> {
        switch self {
        case .contiguous:
            return DotKernels.load16Widened(pixel + c)
        case .broadcast:
            return SIMD16(repeating: Int16(pixel[c / m]))
        case .gather:
            var lanes = SIMD16<Int16>()
            for lane in 0..<16 { lanes[lane] = Int16(pixel[(c &+ lane) / m]) }
            return lanes
        }
    }

    /// Input values of output channels `c ..< c + 8` in the pixel at `pixel`, widened.
    @inline(__always)
    func load8(_ pixel: UnsafePointer<Int8>, _ c: Int, multiplier m: Int) -> SIMD8<Int16> {
        switch self {
        case .contiguous:
            return Lanes.widen(UnsafeRawPointer(pixel + c).loadUnaligned(as: SIMD8<Int8>.self))
        case .broadcast:
            return SIMD8(repeating: Int16(pixel[c / m]))
        case .gather:
            var lanes = SIMD8<Int16>()
            for lane in 0..<8 { lanes[lane] = Int16(pixel[(c &+ lane) / m]) }
            return lanes
        }
    }
}

/// The loop nest over output pixels and channel blocks.
private func depthwiseBody(
    _ p: DepthwiseConv2DParameters, _ input: UnsafePointer<Int8>, _ filter: UnsafePointer<Int8>,
    _ output: UnsafeMutablePointer<Int8>, _ k: DotKernels.Constants, _ folded: UnsafePointer<Int32>
) {
    let inShape = p.inputShape
    let outShape = p.outputShape
    let kh = p.filterShape.height
    let kw = p.filterShape.width
    let depth = outShape.depth
    let m = p.depthMultiplier
    let source16 = LaneSource(multiplier: m, width: 16)
    let source8 = LaneSource(multiplier: m, width: 8)
    let offset16 = SIMD16<Int16>(repeating: Int16(truncatingIfNeeded: p.inputOffset))
    for batch in 0..<outShape.batch {
        for outY in 0..<outShape.height {
            let inYOrigin = outY * p.strideHeight - p.paddingHeight
            let rowInterior = inYOrigin >= 0 && inYOrigin + (kh - 1) * p.dilationHeight < inShape.height
            var outX = 0
            while outX < outShape.width {
                let inXOrigin = outX * p.strideWidth - p.paddingWidth
                let out = output + outShape.offset(batch, outY, outX, 0)
                defer { outX += 1 }
                if rowInterior && inXOrigin >= 0 && inXOrigin + (kw - 1) * p.dilationWidth < inShape.width {
                    let origin = input + inShape.offset(batch, inYOrigin, inXOrigin, 0)
                    // The common multiplier 1 inlined here, four pixels at a time where the run allows;
                    // the other multipliers in their own copies (inlining them all here made the loop
                    // nest slower).
                    let fourthX = inXOrigin + 3 * p.strideWidth + (kw - 1) * p.dilationWidth
                    let quad = outX + 4 <= outShape.width && fourthX < inShape.width
                    if quad && p.usesHardwareDotProduct {
                        depthwiseQuadOnHardwareDotProduct(p, origin, filter, out, k, folded)
                    } else if source8 == .contiguous {
                        if quad {
                            depthwiseInteriorQuad(p, origin, filter, out, k, folded, .contiguous)
                        } else {
                            depthwiseInteriorPixel(p, origin, filter, out, k, folded, .contiguous)
                        }
                    } else {
                        depthwiseInteriorWithMultiplier(p, origin, filter, out, k, folded, source8, quad: quad)
                    }
                    if quad { outX += 3 }
                    continue
                }
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
                            let x = source16.load16(input + inShape.offset(batch, inY, inX, 0), c, multiplier: m)
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
                            let x = source8.load8(input + inShape.offset(batch, inY, inX, 0), c, multiplier: m)
                            let w = UnsafeRawPointer(filter + ((filterY &* kw &+ filterX) &* depth &+ c))
                                .loadUnaligned(as: SIMD8<Int8>.self)
                            let product =
                                (x &+ offset16.lowHalf)
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
                            let x = Int32(input[inShape.offset(batch, inY, inX, c / m)])
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

/// One output pixel whose taps all lie inside the image: starts from the folded bias
/// `bias + (inputOffset − 128) · Σ taps` and accumulates `(x + 128) · w` in `Int32` lanes, where
/// `x` is the input channel `oc / depthMultiplier` of output channel `oc` (read as `source` says). The
/// unsigned input operand (0…255) lets LLVM multiply with `pmaddwd` (`vpdpwssd` with VNNI) instead of
/// `pmulld`; see ``DotKernels``. `@_transparent`, as `@inline(__always)` was not honoured here and
/// a call per pixel, with `source` switched on per tap, made MobileNet v2's depthwise layers 20% slower.
@_transparent
private func depthwiseInteriorPixel(
    _ p: DepthwiseConv2DParameters, _ origin: UnsafePointer<Int8>, _ filter: UnsafePointer<Int8>,
    _ out: UnsafeMutablePointer<Int8>, _ k: DotKernels.Constants, _ folded: UnsafePointer<Int32>,
    _ source: LaneSource, from first: Int = 0
) {
    let kh = p.filterShape.height
    let kw = p.filterShape.width
    let depth = p.outputShape.depth
    let m = p.depthMultiplier
    let inDepth = p.inputShape.depth
    let rowStep = p.dilationHeight * p.inputShape.width * inDepth
    let columnStep = p.dilationWidth * inDepth
    var c = first
    while c + 16 <= depth {
        var acc0 = DotKernels.load8(folded + c)
        var acc1 = DotKernels.load8(folded + c + 8)
        var tap = filter + c
        for filterY in 0..<kh {
            var x = origin + filterY &* rowStep
            for _ in 0..<kw {
                acc0 &+= source.loadBiased8(x, c, multiplier: m) &* loadWidened8(tap)
                acc1 &+= source.loadBiased8(x, c &+ 8, multiplier: m) &* loadWidened8(tap + 8)
                x += columnStep
                tap += depth
            }
        }
        let r0 = VectorRequantization.apply(
            acc0, multiplier: DotKernels.load8(k.multipliers + c), shift: DotKernels.load8(k.shifts + c),
            offset: k.outputOffset, min: k.activationMin, max: k.activationMax)
        let r1 = VectorRequantization.apply(
            acc1, multiplier: DotKernels.load8(k.multipliers + c + 8), shift: DotKernels.load8(k.shifts + c + 8),
            offset: k.outputOffset, min: k.activationMin, max: k.activationMax)
        Lanes.store(Lanes.narrow(r0), to: out + c)
        Lanes.store(Lanes.narrow(r1), to: out + (c + 8))
        c += 16
    }
    while c + 8 <= depth {
        var acc = DotKernels.load8(folded + c)
        var tap = filter + c
        for filterY in 0..<kh {
            var x = origin + filterY &* rowStep
            for _ in 0..<kw {
                acc &+= source.loadBiased8(x, c, multiplier: m) &* loadWidened8(tap)
                x += columnStep
                tap += depth
            }
        }
        let r = VectorRequantization.apply(
            acc, multiplier: DotKernels.load8(k.multipliers + c), shift: DotKernels.load8(k.shifts + c),
            offset: k.outputOffset, min: k.activationMin, max: k.activationMax)
        Lanes.store(Lanes.narrow(r), to: out + c)
        c += 8
    }
    while c < depth {
        var acc = folded[c]
        for filterY in 0..<kh {
            for filterX in 0..<kw {
                let x = origin[filterY &* rowStep &+ filterX &* columnStep &+ c / m]
                acc &+= DotKernels.biased(x) &* Int32(filter[(filterY &* kw &+ filterX) &* depth &+ c])
            }
        }
        let value =
            FixedPoint.multiplyByQuantizedMultiplier(acc, k.multipliers[c], shift: k.shifts[c]) &+ k.outputOffset
        out[c] = Int8(truncatingIfNeeded: min(max(value, k.activationMin), k.activationMax))
        c += 1
    }
}

/// Four consecutive output pixels of a row whose taps all lie inside the image: as
/// ``depthwiseInteriorPixel(_:_:_:_:_:_:_:from:)``, but each tap's weights and each channel block's
/// requantization constants are loaded once for the four pixels.
@_transparent
private func depthwiseInteriorQuad(
    _ p: DepthwiseConv2DParameters, _ origin: UnsafePointer<Int8>, _ filter: UnsafePointer<Int8>,
    _ out: UnsafeMutablePointer<Int8>, _ k: DotKernels.Constants, _ folded: UnsafePointer<Int32>,
    _ source: LaneSource
) {
    let kh = p.filterShape.height
    let kw = p.filterShape.width
    let depth = p.outputShape.depth
    let m = p.depthMultiplier
    let inDepth = p.inputShape.depth
    let rowStep = p.dilationHeight * p.inputShape.width * inDepth
    let columnStep = p.dilationWidth * inDepth
    let pixelStep = p.strideWidth * inDepth
    var c = 0
    while c + 16 <= depth {
        // Sixteen-lane vectors: one zmm register each with AVX-512 (MobileNet v2's depthwise layers
        // about 20% faster than with pairs of eight-lane vectors).
        let b = Lanes.join(DotKernels.load8(folded + c), DotKernels.load8(folded + c + 8))
        var a0 = b
        var a1 = b
        var a2 = b
        var a3 = b
        var tap = filter + c
        for filterY in 0..<kh {
            var x = origin + filterY &* rowStep
            for _ in 0..<kw {
                let w = Lanes.join(loadWidened8(tap), loadWidened8(tap + 8))
                a0 &+= source.loadBiased16(x, c, multiplier: m) &* w
                a1 &+= source.loadBiased16(x + pixelStep, c, multiplier: m) &* w
                a2 &+= source.loadBiased16(x + 2 &* pixelStep, c, multiplier: m) &* w
                a3 &+= source.loadBiased16(x + 3 &* pixelStep, c, multiplier: m) &* w
                x += columnStep
                tap += depth
            }
        }
        let r0 = LaneRequantizer(k, channel: c)
        let r1 = LaneRequantizer(k, channel: c + 8)
        storeRequantized16(Lanes.low(a0), Lanes.high(a0), r0, r1, out + c)
        storeRequantized16(Lanes.low(a1), Lanes.high(a1), r0, r1, out + (depth &+ c))
        storeRequantized16(Lanes.low(a2), Lanes.high(a2), r0, r1, out + (2 &* depth &+ c))
        storeRequantized16(Lanes.low(a3), Lanes.high(a3), r0, r1, out + (3 &* depth &+ c))
        c += 16
    }
    while c + 8 <= depth {
        let b = DotKernels.load8(folded + c)
        var a0 = b
        var a1 = b
        var a2 = b
        var a3 = b
        var tap = filter + c
        for filterY in 0..<kh {
            var x = origin + filterY &* rowStep
            for _ in 0..<kw {
                let w = loadWidened8(tap)
                a0 &+= source.loadBiased8(x, c, multiplier: m) &* w
                a1 &+= source.loadBiased8(x + pixelStep, c, multiplier: m) &* w
                a2 &+= source.loadBiased8(x + 2 &* pixelStep, c, multiplier: m) &* w
                a3 &+= source.loadBiased8(x + 3 &* pixelStep, c, multiplier: m) &* w
                x += columnStep
                tap += depth
            }
        }
        let r = LaneRequantizer(k, channel: c)
        Lanes.store(Lanes.narrow(r.apply(a0)), to: out + c)
        Lanes.store(Lanes.narrow(r.apply(a1)), to: out + (depth &+ c))
        Lanes.store(Lanes.narrow(r.apply(a2)), to: out + (2 &* depth &+ c))
        Lanes.store(Lanes.narrow(r.apply(a3)), to: out + (3 &* depth &+ c))
        c += 8
    }
    if c < depth {
        // Fewer than 8 channels left: one pixel at a time.
        for pixel in 0..<4 {
            depthwiseInteriorPixel(
                p, origin + pixel &* pixelStep, filter, out + pixel &* depth, k, folded, source, from: c)
        }
    }
}

/// Requantizes sixteen accumulators and stores them at `out`.
@_transparent
private func storeRequantized16(
    _ low: SIMD8<Int32>, _ high: SIMD8<Int32>, _ lowRequantizer: LaneRequantizer,
    _ highRequantizer: LaneRequantizer, _ out: UnsafeMutablePointer<Int8>
) {
    // Two eight-byte stores: the sixteen-byte `storeBytes` is a generic call that is not always inlined.
    Lanes.store(Lanes.narrow(lowRequantizer.apply(low)), to: out)
    Lanes.store(Lanes.narrow(highRequantizer.apply(high)), to: out + 8)
}

/// ``depthwiseInteriorQuad(_:_:_:_:_:_:_:)`` (`quad`) or ``depthwiseInteriorPixel(_:_:_:_:_:_:_:from:)``
/// for a depth multiplier above 1, out of line.
@inline(never)
private func depthwiseInteriorWithMultiplier(
    _ p: DepthwiseConv2DParameters, _ origin: UnsafePointer<Int8>, _ filter: UnsafePointer<Int8>,
    _ out: UnsafeMutablePointer<Int8>, _ k: DotKernels.Constants, _ folded: UnsafePointer<Int32>,
    _ source: LaneSource, quad: Bool
) {
    switch (source, quad) {
    case (.broadcast, true): depthwiseInteriorQuad(p, origin, filter, out, k, folded, .broadcast)
    case (.broadcast, false): depthwiseInteriorPixel(p, origin, filter, out, k, folded, .broadcast)
    case (_, true): depthwiseInteriorQuad(p, origin, filter, out, k, folded, .gather)
    case (_, false): depthwiseInteriorPixel(p, origin, filter, out, k, folded, .gather)
    }
}

extension LaneSource {
    /// Input values of output channels `c ..< c + 16`, as ``loadBiased8(_:_:multiplier:)``.
    @inline(__always)
    func loadBiased16(_ pixel: UnsafePointer<Int8>, _ c: Int, multiplier m: Int) -> SIMD16<Int32> {
        Lanes.join(loadBiased8(pixel, c, multiplier: m), loadBiased8(pixel, c &+ 8, multiplier: m))
    }

    /// Input values of output channels `c ..< c + 8` in the pixel at `pixel`, as `x + 128` in `Int32`
    /// lanes (0…255).
    @inline(__always)
    func loadBiased8(_ pixel: UnsafePointer<Int8>, _ c: Int, multiplier m: Int) -> SIMD8<Int32> {
        switch self {
        case .contiguous:
            return loadBiasedBytes8(pixel + c)
        case .broadcast:
            return SIMD8(repeating: DotKernels.biased(pixel[c / m]))
        case .gather:
            return SIMD8(
                DotKernels.biased(pixel[c / m]), DotKernels.biased(pixel[(c &+ 1) / m]),
                DotKernels.biased(pixel[(c &+ 2) / m]), DotKernels.biased(pixel[(c &+ 3) / m]),
                DotKernels.biased(pixel[(c &+ 4) / m]), DotKernels.biased(pixel[(c &+ 5) / m]),
                DotKernels.biased(pixel[(c &+ 6) / m]), DotKernels.biased(pixel[(c &+ 7) / m]))
        }
    }
}

/// Loads eight input bytes as `x + 128` in `Int32` lanes (0…255).
@inline(__always)
private func loadBiasedBytes8(_ p: UnsafePointer<Int8>) -> SIMD8<Int32> {
    let v = UnsafeRawPointer(p).loadUnaligned(as: SIMD8<UInt8>.self) ^ SIMD8(repeating: 0x80)
    return SIMD8(
        Int32(v[0]), Int32(v[1]), Int32(v[2]), Int32(v[3]), Int32(v[4]), Int32(v[5]), Int32(v[6]), Int32(v[7]))
}

/// Loads eight weights sign-extended to `Int32` lanes.
@inline(__always)
private func loadWidened8(_ p: UnsafePointer<Int8>) -> SIMD8<Int32> {
    Lanes.widen(Lanes.widen(UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Int8>.self)))
}
