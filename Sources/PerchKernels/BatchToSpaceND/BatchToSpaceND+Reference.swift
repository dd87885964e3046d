/// Int8 BATCH_TO_SPACE_ND, TFLite reference (`reference_ops::BatchToSpaceND`).
///
/// Input batch `ib` goes to output batch `ib % N_out` at spatial offset
/// `((ib / N_out) / bw, (ib / N_out) % bw)`; input pixel `(h, w)` lands on
/// `(h · bh + offsetH − top, w · bw + offsetW − left)` unless that is cropped away. Depth vectors
/// are copied unchanged; every output element is written exactly once.
///
/// - Parameters:
///   - p: Prepared parameters.
///   - input: The input, `p.inputShape.elementCount` elements.
///   - output: The output, `p.outputShape.elementCount` elements.
/// - Precondition: The buffers have the prepared sizes.
public func batchToSpaceNDReference(
    _ p: BatchToSpaceNDParameters, input: Span<Int8>, output: inout MutableSpan<Int8>
) {
    let inShape = p.inputShape
    let outShape = p.outputShape
    precondition(input.count == inShape.elementCount && output.count == outShape.elementCount)
    guard outShape.batch > 0 else { return }
    let depth = inShape.depth
    for inB in 0..<inShape.batch {
        let outB = inB % outShape.batch
        let spatialOffset = inB / outShape.batch
        let offsetH = spatialOffset / p.block.width
        let offsetW = spatialOffset % p.block.width
        for inH in 0..<inShape.height {
            let outH = inH * p.block.height + offsetH - p.cropsBefore.top
            if outH < 0 || outH >= outShape.height { continue }
            for inW in 0..<inShape.width {
                let outW = inW * p.block.width + offsetW - p.cropsBefore.left
                if outW < 0 || outW >= outShape.width { continue }
                let destination = outShape.offset(outB, outH, outW, 0)
                let source = inShape.offset(inB, inH, inW, 0)
                for c in 0..<depth { output[destination + c] = input[source + c] }
            }
        }
    }
}
