/// Int8 PAD / PADV2, optimized; bit-identical to ``padReference(_:input:output:)``.
///
/// Visits the output in the same row-major order, but a whole innermost row at a time: rows outside
/// the copied window are filled with `p.padValue`, rows inside it get the leading fill, one contiguous
/// copy of the input row, and the trailing fill. When the innermost axis is not padded (an NHWC
/// image's channels) it is merged with the one before, so a row is a whole image row. Sizes are
/// checked once; the copies use raw buffers.
///
/// - Parameters:
///   - p: Prepared parameters.
///   - input: The input, `p.inputElementCount` elements.
///   - output: The output, `p.outputElementCount` elements.
/// - Precondition: The buffers have the prepared sizes.
public func padOptimized(_ p: PadParameters, input: Span<Int8>, output: inout MutableSpan<Int8>) {
    precondition(input.count == p.inputElementCount && output.count == p.outputElementCount)
    var o = (p.outputExtents[0], p.outputExtents[1], p.outputExtents[2], p.outputExtents[3], p.outputExtents[4])
    var n = (p.inputExtents[0], p.inputExtents[1], p.inputExtents[2], p.inputExtents[3], p.inputExtents[4])
    var b = (p.before[0], p.before[1], p.before[2], p.before[3], p.before[4])
    if b.4 == 0 && o.4 == n.4 {
        // The innermost axis (an image's channels) is not padded: merge it into the one before, so
        // that a row is a whole padded image row rather than one pixel (3 bytes for an RGB input).
        let channels = o.4
        o = (1, o.0, o.1, o.2, o.3 * channels)
        n = (1, n.0, n.1, n.2, n.3 * channels)
        b = (0, b.0, b.1, b.2, b.3 * channels)
    }
    let rowLength = o.4
    let copyLength = n.4
    let leading = b.4
    let trailing = rowLength - leading - copyLength
    let pad = p.padValue
    input.withUnsafeBufferPointer { source in
        output.withUnsafeMutableBufferPointer { destination in
            guard let destinationBase = destination.baseAddress else { return }
            let sourceBase = source.baseAddress
            var outRow = destinationBase
            for i0 in 0..<o.0 {
                let in0 = i0 - b.0
                let inside0 = in0 >= 0 && in0 < n.0
                for i1 in 0..<o.1 {
                    let in1 = i1 - b.1
                    let inside1 = inside0 && in1 >= 0 && in1 < n.1
                    for i2 in 0..<o.2 {
                        let in2 = i2 - b.2
                        let inside2 = inside1 && in2 >= 0 && in2 < n.2
                        for i3 in 0..<o.3 {
                            let in3 = i3 - b.3
                            if inside2 && in3 >= 0 && in3 < n.3, let sourceBase, copyLength > 0 {
                                let offset = (((in0 * n.1 + in1) * n.2 + in2) * n.3 + in3) * n.4
                                outRow.update(repeating: pad, count: leading)
                                (outRow + leading).update(from: sourceBase + offset, count: copyLength)
                                (outRow + leading + copyLength).update(repeating: pad, count: trailing)
                            } else {
                                outRow.update(repeating: pad, count: rowLength)
                            }
                            outRow += rowLength
                        }
                    }
                }
            }
        }
    }
}
