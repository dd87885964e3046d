/// Int8 PAD / PADV2, TFLite reference (`reference_ops::Pad`, generic 5-D path).
///
/// Visits the output in row-major order; a position inside the copied window takes the input
/// element, any other position takes `p.padValue`.
///
/// - Parameters:
///   - p: Prepared parameters.
///   - input: The input, `p.inputElementCount` elements.
///   - output: The output, `p.outputElementCount` elements.
/// - Precondition: The buffers have the prepared sizes.
public func padReference(_ p: PadParameters, input: Span<Int8>, output: inout MutableSpan<Int8>) {
    precondition(input.count == p.inputElementCount && output.count == p.outputElementCount)
    let o = p.outputExtents
    let n = p.inputExtents
    let b = p.before
    var outIndex = 0
    for i0 in 0..<o[0] {
        let in0 = i0 - b[0]
        let inside0 = in0 >= 0 && in0 < n[0]
        for i1 in 0..<o[1] {
            let in1 = i1 - b[1]
            let inside1 = inside0 && in1 >= 0 && in1 < n[1]
            for i2 in 0..<o[2] {
                let in2 = i2 - b[2]
                let inside2 = inside1 && in2 >= 0 && in2 < n[2]
                for i3 in 0..<o[3] {
                    let in3 = i3 - b[3]
                    let inside3 = inside2 && in3 >= 0 && in3 < n[3]
                    for i4 in 0..<o[4] {
                        let in4 = i4 - b[4]
                        if inside3 && in4 >= 0 && in4 < n[4] {
                            let offset = (((in0 * n[1] + in1) * n[2] + in2) * n[3] + in3) * n[4] + in4
                            output[outIndex] = input[offset]
                        } else {
                            output[outIndex] = p.padValue
                        }
                        outIndex += 1
                    }
                }
            }
        }
    }
}
