// MARK: - CONV_2D (int8): channel-vectorized path for small windows

/// Accumulators of four pixels × sixteen output channels.
private struct Tile4x16 {
    var l0: SIMD8<Int32>
    var h0: SIMD8<Int32>
    var l1: SIMD8<Int32>
    var h1: SIMD8<Int32>
    var l2: SIMD8<Int32>
    var h2: SIMD8<Int32>
    var l3: SIMD8<Int32>
    var h3: SIMD8<Int32>
}

/// Loop nest of the channel-vectorized path: `Σ (x + 128) · w` as a sum of outer products
/// (a broadcast input value times a block of output channels' weights) in `Int32` lanes. The input
/// operand is unsigned and below 256 and the weight a sign-extended byte, so LLVM multiplies with
/// `pmaddwd` (fused into `vpdpwssd` with VNNI) rather than `pmulld`; see ``DotKernels``. Interior
/// pixels start from the folded bias; border pixels take the scalar path.
func conv2DChannelVectorizedBody(
    _ p: Conv2DParameters, _ input: UnsafePointer<Int8>, _ filter: UnsafePointer<Int8>,
    _ transposed: UnsafePointer<Int8>, _ output: UnsafeMutablePointer<Int8>, _ k: DotKernels.Constants
) {
    let (inShape, outShape) = p.loopShapes
    let kh = p.filterShape.height
    let kw = p.filterShape.width
    let inDepth = inShape.depth
    let outDepth = outShape.depth
    let rowStride = inShape.width * inDepth
    let runLength = kw * inDepth
    let segments = DotKernels.Segments(
        count: kh, length: runLength, inputStride: rowStride, channelStride: kh * kw * inDepth)
    conv2DForEachInteriorQuad(p, input, filter, output) { xs, os, _ in
        var c = 0
        #if arch(x86_64)
            // Four pixels × 64, 32 or 16 channels in sixteen-lane vectors (one zmm register each
            // with AVX-512): each broadcast input value serves up to four weight vectors, and each
            // instruction does sixteen multiply-accumulates. The 64-channel tile's 16 accumulators,
            // 4 weight and 4 input vectors fit AVX-512's 32 registers; against eight-lane vectors it
            // made MobileNet v2 15% faster on an AVX-512 VNNI CPU, and AVX2 code (which spills) 2%
            // slower. Elsewhere (ARM NEON has two registers per eight lanes) the eight-lane tiles below
            // do all the work.
            while c + 64 <= outDepth {
                let b0 = loadBias16(k.bias + c)
                let b1 = loadBias16(k.bias + c + 16)
                let b2 = loadBias16(k.bias + c + 32)
                let b3 = loadBias16(k.bias + c + 48)
                var a00 = b0, a01 = b1, a02 = b2, a03 = b3
                var a10 = b0, a11 = b1, a12 = b2, a13 = b3
                var a20 = b0, a21 = b1, a22 = b2, a23 = b3
                var a30 = b0, a31 = b1, a32 = b2, a33 = b3
                for filterY in 0..<kh {
                    let xRow = filterY &* rowStride
                    let wRow = transposed + (filterY &* runLength &* outDepth &+ c)
                    for j in 0..<runLength {
                        let w = wRow + j &* outDepth
                        let w0 = load16Widened32(w)
                        let w1 = load16Widened32(w + 16)
                        let w2 = load16Widened32(w + 32)
                        let w3 = load16Widened32(w + 48)
                        let x0 = SIMD16<Int32>(repeating: DotKernels.biased(xs.0[xRow &+ j]))
                        let x1 = SIMD16<Int32>(repeating: DotKernels.biased(xs.1[xRow &+ j]))
                        let x2 = SIMD16<Int32>(repeating: DotKernels.biased(xs.2[xRow &+ j]))
                        let x3 = SIMD16<Int32>(repeating: DotKernels.biased(xs.3[xRow &+ j]))
                        a00 &+= x0 &* w0
                        a01 &+= x0 &* w1
                        a02 &+= x0 &* w2
                        a03 &+= x0 &* w3
                        a10 &+= x1 &* w0
                        a11 &+= x1 &* w1
                        a12 &+= x1 &* w2
                        a13 &+= x1 &* w3
                        a20 &+= x2 &* w0
                        a21 &+= x2 &* w1
                        a22 &+= x2 &* w2
                        a23 &+= x2 &* w3
                        a30 &+= x3 &* w0
                        a31 &+= x3 &* w1
                        a32 &+= x3 &* w2
                        a33 &+= x3 &* w3
                    }
                }
                var r0 = LaneRequantizer(k, channel: c)
                var r1 = LaneRequantizer(k, channel: c + 8)
                store16(Lanes.low(a00), Lanes.high(a00), os.0, c, r0, r1)
                store16(Lanes.low(a10), Lanes.high(a10), os.1, c, r0, r1)
                store16(Lanes.low(a20), Lanes.high(a20), os.2, c, r0, r1)
                store16(Lanes.low(a30), Lanes.high(a30), os.3, c, r0, r1)
                r0 = LaneRequantizer(k, channel: c + 16)
                r1 = LaneRequantizer(k, channel: c + 24)
                store16(Lanes.low(a01), Lanes.high(a01), os.0, c + 16, r0, r1)
                store16(Lanes.low(a11), Lanes.high(a11), os.1, c + 16, r0, r1)
                store16(Lanes.low(a21), Lanes.high(a21), os.2, c + 16, r0, r1)
                store16(Lanes.low(a31), Lanes.high(a31), os.3, c + 16, r0, r1)
                r0 = LaneRequantizer(k, channel: c + 32)
                r1 = LaneRequantizer(k, channel: c + 40)
                store16(Lanes.low(a02), Lanes.high(a02), os.0, c + 32, r0, r1)
                store16(Lanes.low(a12), Lanes.high(a12), os.1, c + 32, r0, r1)
                store16(Lanes.low(a22), Lanes.high(a22), os.2, c + 32, r0, r1)
                store16(Lanes.low(a32), Lanes.high(a32), os.3, c + 32, r0, r1)
                r0 = LaneRequantizer(k, channel: c + 48)
                r1 = LaneRequantizer(k, channel: c + 56)
                store16(Lanes.low(a03), Lanes.high(a03), os.0, c + 48, r0, r1)
                store16(Lanes.low(a13), Lanes.high(a13), os.1, c + 48, r0, r1)
                store16(Lanes.low(a23), Lanes.high(a23), os.2, c + 48, r0, r1)
                store16(Lanes.low(a33), Lanes.high(a33), os.3, c + 48, r0, r1)
                c += 64
            }
            while c + 32 <= outDepth {
                let b0 = loadBias16(k.bias + c)
                let b1 = loadBias16(k.bias + c + 16)
                var a00 = b0
                var a01 = b1
                var a10 = b0
                var a11 = b1
                var a20 = b0
                var a21 = b1
                var a30 = b0
                var a31 = b1
                for filterY in 0..<kh {
                    let xRow = filterY &* rowStride
                    let wRow = transposed + (filterY &* runLength &* outDepth &+ c)
                    for j in 0..<runLength {
                        let w = wRow + j &* outDepth
                        let w0 = load16Widened32(w)
                        let w1 = load16Widened32(w + 16)
                        let x0 = SIMD16<Int32>(repeating: DotKernels.biased(xs.0[xRow &+ j]))
                        let x1 = SIMD16<Int32>(repeating: DotKernels.biased(xs.1[xRow &+ j]))
                        let x2 = SIMD16<Int32>(repeating: DotKernels.biased(xs.2[xRow &+ j]))
                        let x3 = SIMD16<Int32>(repeating: DotKernels.biased(xs.3[xRow &+ j]))
                        a00 &+= x0 &* w0
                        a01 &+= x0 &* w1
                        a10 &+= x1 &* w0
                        a11 &+= x1 &* w1
                        a20 &+= x2 &* w0
                        a21 &+= x2 &* w1
                        a30 &+= x3 &* w0
                        a31 &+= x3 &* w1
                    }
                }
                var r0 = LaneRequantizer(k, channel: c)
                var r1 = LaneRequantizer(k, channel: c + 8)
                store16(Lanes.low(a00), Lanes.high(a00), os.0, c, r0, r1)
                store16(Lanes.low(a10), Lanes.high(a10), os.1, c, r0, r1)
                store16(Lanes.low(a20), Lanes.high(a20), os.2, c, r0, r1)
                store16(Lanes.low(a30), Lanes.high(a30), os.3, c, r0, r1)
                r0 = LaneRequantizer(k, channel: c + 16)
                r1 = LaneRequantizer(k, channel: c + 24)
                store16(Lanes.low(a01), Lanes.high(a01), os.0, c + 16, r0, r1)
                store16(Lanes.low(a11), Lanes.high(a11), os.1, c + 16, r0, r1)
                store16(Lanes.low(a21), Lanes.high(a21), os.2, c + 16, r0, r1)
                store16(Lanes.low(a31), Lanes.high(a31), os.3, c + 16, r0, r1)
                c += 32
            }
            if outDepth - c == 24 {
                // The last 24 channels (MobileNet v2's narrowest bottlenecks) in one pass: 16 + 8
                // lanes share each broadcast input value.
                let b = loadBias16(k.bias + c)
                let b8 = DotKernels.load8(k.bias + c + 16)
                var a0 = b
                var a1 = b
                var a2 = b
                var a3 = b
                var e0 = b8
                var e1 = b8
                var e2 = b8
                var e3 = b8
                for filterY in 0..<kh {
                    let xRow = filterY &* rowStride
                    let wRow = transposed + (filterY &* runLength &* outDepth &+ c)
                    for j in 0..<runLength {
                        let w = wRow + j &* outDepth
                        let w16 = load16Widened32(w)
                        let w8 = load8Widened(w + 16)
                        let x0 = SIMD16<Int32>(repeating: DotKernels.biased(xs.0[xRow &+ j]))
                        let x1 = SIMD16<Int32>(repeating: DotKernels.biased(xs.1[xRow &+ j]))
                        let x2 = SIMD16<Int32>(repeating: DotKernels.biased(xs.2[xRow &+ j]))
                        let x3 = SIMD16<Int32>(repeating: DotKernels.biased(xs.3[xRow &+ j]))
                        a0 &+= x0 &* w16
                        a1 &+= x1 &* w16
                        a2 &+= x2 &* w16
                        a3 &+= x3 &* w16
                        e0 &+= Lanes.low(x0) &* w8
                        e1 &+= Lanes.low(x1) &* w8
                        e2 &+= Lanes.low(x2) &* w8
                        e3 &+= Lanes.low(x3) &* w8
                    }
                }
                let r0 = LaneRequantizer(k, channel: c)
                let r1 = LaneRequantizer(k, channel: c + 8)
                let r2 = LaneRequantizer(k, channel: c + 16)
                store16(Lanes.low(a0), Lanes.high(a0), os.0, c, r0, r1)
                store16(Lanes.low(a1), Lanes.high(a1), os.1, c, r0, r1)
                store16(Lanes.low(a2), Lanes.high(a2), os.2, c, r0, r1)
                store16(Lanes.low(a3), Lanes.high(a3), os.3, c, r0, r1)
                store8(e0, os.0, c + 16, r2)
                store8(e1, os.1, c + 16, r2)
                store8(e2, os.2, c + 16, r2)
                store8(e3, os.3, c + 16, r2)
                c += 24
            }
            while c + 16 <= outDepth {
                let b = loadBias16(k.bias + c)
                var a0 = b
                var a1 = b
                var a2 = b
                var a3 = b
                for filterY in 0..<kh {
                    let xRow = filterY &* rowStride
                    let wRow = transposed + (filterY &* runLength &* outDepth &+ c)
                    for j in 0..<runLength {
                        let w = load16Widened32(wRow + j &* outDepth)
                        a0 &+= SIMD16<Int32>(repeating: DotKernels.biased(xs.0[xRow &+ j])) &* w
                        a1 &+= SIMD16<Int32>(repeating: DotKernels.biased(xs.1[xRow &+ j])) &* w
                        a2 &+= SIMD16<Int32>(repeating: DotKernels.biased(xs.2[xRow &+ j])) &* w
                        a3 &+= SIMD16<Int32>(repeating: DotKernels.biased(xs.3[xRow &+ j])) &* w
                    }
                }
                let r0 = LaneRequantizer(k, channel: c)
                let r1 = LaneRequantizer(k, channel: c + 8)
                store16(Lanes.low(a0), Lanes.high(a0), os.0, c, r0, r1)
                store16(Lanes.low(a1), Lanes.high(a1), os.1, c, r0, r1)
                store16(Lanes.low(a2), Lanes.high(a2), os.2, c, r0, r1)
                store16(Lanes.low(a3), Lanes.high(a3), os.3, c, r0, r1)
                c += 16
            }
        #endif
        while c + 16 <= outDepth {
            let bl = DotKernels.load8(k.bias + c)
            let bh = DotKernels.load8(k.bias + c + 8)
            var t = Tile4x16(l0: bl, h0: bh, l1: bl, h1: bh, l2: bl, h2: bh, l3: bl, h3: bh)
            for filterY in 0..<kh {
                let xRow = filterY &* rowStride
                let wRow = transposed + (filterY &* runLength &* outDepth &+ c)
                for j in 0..<runLength {
                    let w = wRow + j &* outDepth
                    let wl = load8Widened(w)
                    let wh = load8Widened(w + 8)
                    let x0 = SIMD8<Int32>(repeating: DotKernels.biased(xs.0[xRow &+ j]))
                    let x1 = SIMD8<Int32>(repeating: DotKernels.biased(xs.1[xRow &+ j]))
                    let x2 = SIMD8<Int32>(repeating: DotKernels.biased(xs.2[xRow &+ j]))
                    let x3 = SIMD8<Int32>(repeating: DotKernels.biased(xs.3[xRow &+ j]))
                    t.l0 &+= x0 &* wl
                    t.h0 &+= x0 &* wh
                    t.l1 &+= x1 &* wl
                    t.h1 &+= x1 &* wh
                    t.l2 &+= x2 &* wl
                    t.h2 &+= x2 &* wh
                    t.l3 &+= x3 &* wl
                    t.h3 &+= x3 &* wh
                }
            }
            let r0 = LaneRequantizer(k, channel: c)
            let r1 = LaneRequantizer(k, channel: c + 8)
            store16(t.l0, t.h0, os.0, c, r0, r1)
            store16(t.l1, t.h1, os.1, c, r0, r1)
            store16(t.l2, t.h2, os.2, c, r0, r1)
            store16(t.l3, t.h3, os.3, c, r0, r1)
            c += 16
        }
        while c + 8 <= outDepth {
            let b = DotKernels.load8(k.bias + c)
            var a0 = b
            var a1 = b
            var a2 = b
            var a3 = b
            for filterY in 0..<kh {
                let xRow = filterY &* rowStride
                let wRow = transposed + (filterY &* runLength &* outDepth &+ c)
                for j in 0..<runLength {
                    let w = load8Widened(wRow + j &* outDepth)
                    a0 &+= SIMD8<Int32>(repeating: DotKernels.biased(xs.0[xRow &+ j])) &* w
                    a1 &+= SIMD8<Int32>(repeating: DotKernels.biased(xs.1[xRow &+ j])) &* w
                    a2 &+= SIMD8<Int32>(repeating: DotKernels.biased(xs.2[xRow &+ j])) &* w
                    a3 &+= SIMD8<Int32>(repeating: DotKernels.biased(xs.3[xRow &+ j])) &* w
                }
            }
            let r = LaneRequantizer(k, channel: c)
            store8(a0, os.0, c, r)
            store8(a1, os.1, c, r)
            store8(a2, os.2, c, r)
            store8(a3, os.3, c, r)
            c += 8
        }
        while c < outDepth {
            let row = filter + c * segments.channelStride
            os.0[c] = DotKernels.finish1(DotKernels.dot1x1(xs.0, row, segments), channel: c, constants: k)
            os.1[c] = DotKernels.finish1(DotKernels.dot1x1(xs.1, row, segments), channel: c, constants: k)
            os.2[c] = DotKernels.finish1(DotKernels.dot1x1(xs.2, row, segments), channel: c, constants: k)
            os.3[c] = DotKernels.finish1(DotKernels.dot1x1(xs.3, row, segments), channel: c, constants: k)
            c += 1
        }
    }
}

/// Loads eight weights and sign-extends them to `Int32`.
@inline(__always)
private func load8Widened(_ p: UnsafePointer<Int8>) -> SIMD8<Int32> {
    Lanes.widen(Lanes.widen(UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Int8>.self)))
}

/// Requantizes eight accumulators of channels `c ..< c + 8` and stores them (`@_transparent`: see
/// ``VectorRequantization/apply(_:multiplier:shift:offset:min:max:)``).
@_transparent
private func store8(_ acc: SIMD8<Int32>, _ out: UnsafeMutablePointer<Int8>, _ c: Int, _ r: LaneRequantizer) {
    Lanes.store(Lanes.narrow(r.apply(acc)), to: out + c)
}

/// Requantizes sixteen accumulators of channels `c ..< c + 16` and stores them.
@_transparent
private func store16(
    _ low: SIMD8<Int32>, _ high: SIMD8<Int32>, _ out: UnsafeMutablePointer<Int8>, _ c: Int,
    _ lowRequantizer: LaneRequantizer, _ highRequantizer: LaneRequantizer
) {
    // Two eight-byte stores: the sixteen-byte `storeBytes` is a generic call that is not always inlined.
    Lanes.store(Lanes.narrow(lowRequantizer.apply(low)), to: out + c)
    Lanes.store(Lanes.narrow(highRequantizer.apply(high)), to: out + (c + 8))
}

/// Loads sixteen `Int32` values.
@inline(__always)
private func loadBias16(_ p: UnsafePointer<Int32>) -> SIMD16<Int32> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Int32>.self)
}

/// Loads sixteen weights and sign-extends them to `Int32`.
@inline(__always)
private func load16Widened32(_ p: UnsafePointer<Int8>) -> SIMD16<Int32> {
    Lanes.join(load8Widened(p), load8Widened(p + 8))
}
