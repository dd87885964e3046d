/// Int8 ADD, optimized: bit-identical to ``addReference(_:input1:input2:output:)``.
///
/// Each input's half of TFLite's `AddFunc` (offset, `<< 20`, rescale) depends on one int8 value
/// only, so it is read from a 256-entry table built at prepare time; the sum is then rescaled,
/// offset and clamped exactly as in the reference. Sizes are checked once, then the loops use
/// unchecked span subscripts.
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
        for i in 0..<p.outputElementCount {
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
