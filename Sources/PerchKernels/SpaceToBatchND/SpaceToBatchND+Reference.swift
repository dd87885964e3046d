/// Int8 SPACE_TO_BATCH_ND, TFLite reference (`reference_ops::SpaceToBatchND`).
///
/// Output batch `ob` reads input batch `ob % N` at spatial shift `(ob / N) / bw, (ob / N) % bw`;
/// output pixel `(h, w)` comes from input `(h · bh + shiftH − top, w · bw + shiftW − left)`, or is
/// filled with `p.padValue` (the output zero point, see ``SpaceToBatchNDParameters``) when that
/// falls in the padding. Whole depth vectors are copied unchanged.
///
/// - Parameters:
///   - p: Prepared parameters.
///   - input: The input, `p.inputShape.elementCount` elements.
///   - output: The output, `p.outputShape.elementCount` elements.
/// - Precondition: The buffers have the prepared sizes.
public func spaceToBatchNDReference(
    _ p: SpaceToBatchNDParameters, input: Span<Int8>, output: inout MutableSpan<Int8>
) {
    let inShape = p.inputShape
    let outShape = p.outputShape
    precondition(input.count == inShape.elementCount && output.count == outShape.elementCount)
    let depth = inShape.depth
    for outB in 0..<outShape.batch {
        let inputBatch = outB % inShape.batch
        let shiftW = (outB / inShape.batch) % p.block.width
        let shiftH = (outB / inShape.batch) / p.block.width
        for outH in 0..<outShape.height {
            let inH = outH * p.block.height + shiftH - p.paddingBefore.top
            for outW in 0..<outShape.width {
                let inW = outW * p.block.width + shiftW - p.paddingBefore.left
                let destination = outShape.offset(outB, outH, outW, 0)
                if inH < 0 || inH >= inShape.height || inW < 0 || inW >= inShape.width {
                    for c in 0..<depth { output[destination + c] = p.padValue }
                } else {
                    let source = inShape.offset(inputBatch, inH, inW, 0)
                    for c in 0..<depth { output[destination + c] = input[source + c] }
                }
            }
        }
    }
}
