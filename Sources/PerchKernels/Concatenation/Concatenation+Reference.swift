/// Int8 CONCATENATION, TFLite reference (`reference_ops::Concatenation`), one input at a time.
///
/// Call once per input, in any order, with the same output buffer: for each of `p.outerSize` outer
/// steps, input `inputIndex` contributes `p.copySizes[inputIndex]` contiguous bytes, copied unchanged
/// (no requantization, as TFLite Micro) to `step · p.outputStride + p.copyOffsets[inputIndex]`.
///
/// - Parameters:
///   - p: Prepared parameters.
///   - input: Input `inputIndex`, `p.outerSize · p.copySizes[inputIndex]` elements.
///   - inputIndex: Which input this is.
///   - output: The whole output, `p.outputElementCount` elements.
/// - Precondition: `inputIndex` is valid and the buffers have the prepared sizes.
public func concatenationReference(
    _ p: ConcatenationParameters, input: Span<Int8>, inputIndex: Int, output: inout MutableSpan<Int8>
) {
    precondition(inputIndex >= 0 && inputIndex < p.copySizes.count)
    let size = p.copySizes[inputIndex]
    let offset = p.copyOffsets[inputIndex]
    precondition(input.count == p.outerSize * size && output.count == p.outputElementCount)
    for k in 0..<p.outerSize {
        let destination = k * p.outputStride + offset
        let source = k * size
        for i in 0..<size {
            output[destination + i] = input[source + i]
        }
    }
}
