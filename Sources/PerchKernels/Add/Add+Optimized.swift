/// Int8 ADD, optimized: bit-identical to ``addReference(_:input1:input2:output:)``.
///
/// Inputs of the same shape are processed eight elements at a time: both halves of TFLite's
/// `AddFunc` (offset, `<< 20`, rescale) and the output rescale use the lane-wise exact form of
/// `MultiplyByQuantizedMultiplier` (``VectorRequantization``; a shift ≤ 0 makes it
/// `MultiplyByQuantizedMultiplierSmallerThanOneExp`). The tail and broadcast shapes read each
/// input's half from a 256-entry table built at prepare time, since it depends on one int8 value
/// only; the sum is then rescaled, offset and clamped exactly as in the reference. Sizes are checked
/// once, then the loops use unchecked subscripts.
///
/// - Parameters:
///   - p: Prepared parameters.
///   - input1: Input 0, `p.inputElementCounts.0` elements.
///   - input2: Input 1, `p.inputElementCounts.1` elements.
///   - output: The output, `p.outputElementCount` elements.
/// - Precondition: The buffers have the prepared sizes.
public func addOptimized(
    _ p: AddParameters, input1: Span<Int8>, input2: Span<Int8>, output: inout MutableSpan<Int8>
) {
    precondition(input1.count == p.inputElementCounts.0 && input2.count == p.inputElementCounts.1)
    precondition(output.count == p.outputElementCount)
    let table1 = p.input1Table.span
    let table2 = p.input2Table.span
    precondition(table1.count == 256 && table2.count == 256)
    let b = p.broadcast
    if !b.requiresBroadcast {
        let count = p.outputElementCount
        // The lane-wise right shift is exact for shifts of at most 31 bits (any real model's); a larger
        // one (wildly different scales) keeps the scalar path, where shifting by 32 or more sign-fills.
        let shiftsInRange =
            min(p.input1Multiplier.shift, p.input2Multiplier.shift, p.outputMultiplier.shift) >= -31
        let vectorized = shiftsInRange ? count & ~7 : 0
        input1.withUnsafeBufferPointer { x in
            input2.withUnsafeBufferPointer { y in
                output.withUnsafeMutableBufferPointer { out in
                    addVectorized(p, x.baseAddress!, y.baseAddress!, out.baseAddress!, count: vectorized)
                }
            }
        }
        for i in vectorized..<count {
            let x = Int(input1[unchecked: i]) &+ 128
            let y = Int(input2[unchecked: i]) &+ 128
            output[unchecked: i] = p.finish(table1[unchecked: x] &+ table2[unchecked: y])
        }
        return
    }
    let e = b.extents
    let s1 = b.strides1
    let s2 = b.strides2
    var outIndex = 0
    for i0 in 0..<e[0] {
        for i1 in 0..<e[1] {
            for i2 in 0..<e[2] {
                for i3 in 0..<e[3] {
                    let base1 = i0 * s1[0] + i1 * s1[1] + i2 * s1[2] + i3 * s1[3]
                    let base2 = i0 * s2[0] + i1 * s2[1] + i2 * s2[2] + i3 * s2[3]
                    for i4 in 0..<e[4] {
                        let row1 = base1 + i4 * s1[4]
                        let row2 = base2 + i4 * s2[4]
                        let step1 = s1[5]
                        let step2 = s2[5]
                        for i5 in 0..<e[5] {
                            let x = Int(input1[unchecked: row1 &+ i5 &* step1]) &+ 128
                            let y = Int(input2[unchecked: row2 &+ i5 &* step2]) &+ 128
                            output[unchecked: outIndex] = p.finish(table1[unchecked: x] &+ table2[unchecked: y])
                            outIndex &+= 1
                        }
                    }
                }
            }
        }
    }
}

/// `count` (a multiple of 8) elements of a same-shape ADD, eight lanes at a time.
private func addVectorized(
    _ p: AddParameters, _ x: UnsafePointer<Int8>, _ y: UnsafePointer<Int8>, _ out: UnsafeMutablePointer<Int8>,
    count: Int
) {
    let offset1 = SIMD8<Int32>(repeating: p.input1Offset)
    let offset2 = SIMD8<Int32>(repeating: p.input2Offset)
    let leftShift = SIMD8<Int32>(repeating: p.leftShift)
    let multiplier1 = SIMD8<Int32>(repeating: p.input1Multiplier.multiplier)
    let multiplier2 = SIMD8<Int32>(repeating: p.input2Multiplier.multiplier)
    let multiplierOut = SIMD8<Int32>(repeating: p.outputMultiplier.multiplier)
    let shift1 = SIMD8<Int32>(repeating: p.input1Multiplier.shift)
    let shift2 = SIMD8<Int32>(repeating: p.input2Multiplier.shift)
    let shiftOut = SIMD8<Int32>(repeating: p.outputMultiplier.shift)
    var i = 0
    while i < count {
        let a = Lanes.widen(Lanes.widen(UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Int8>.self)))
        let b = Lanes.widen(Lanes.widen(UnsafeRawPointer(y + i).loadUnaligned(as: SIMD8<Int8>.self)))
        // |offset + x| ≤ 255, so the shift by 20 cannot overflow; the clamps to the Int32 range are no-ops.
        let scaled1 = VectorRequantization.apply(
            (a &+ offset1) &<< leftShift, multiplier: multiplier1, shift: shift1, offset: 0, min: .min, max: .max)
        let scaled2 = VectorRequantization.apply(
            (b &+ offset2) &<< leftShift, multiplier: multiplier2, shift: shift2, offset: 0, min: .min, max: .max)
        let r = VectorRequantization.apply(
            scaled1 &+ scaled2, multiplier: multiplierOut, shift: shiftOut, offset: p.outputOffset,
            min: p.activationMin, max: p.activationMax)
        Lanes.store(Lanes.narrow(r), to: out + i)
        i &+= 8
    }
}
