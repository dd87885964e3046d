/// Int8 LEAKY_RELU, TFLite reference (`reference_ops::QuantizeLeakyRelu`).
///
/// `x = q − zp_in`; the output is `zp_out + MultiplyByQuantizedMultiplier(x, M, shift)` with the
/// identity multiplier for `x ≥ 0` and the alpha multiplier otherwise (double rounding, ties away
/// from zero), clamped to int8.
///
/// - Parameters:
///   - p: Prepared parameters.
///   - input: The input, `p.elementCount` elements.
///   - output: The output, same size.
/// - Precondition: The buffers have the prepared sizes.
public func leakyReluReference(_ p: LeakyReluParameters, input: Span<Int8>, output: inout MutableSpan<Int8>) {
    precondition(input.count == p.elementCount && output.count == p.elementCount)
    for i in 0..<p.elementCount {
        let x = Int32(input[i]) - p.inputZeroPoint
        let scaled = x >= 0 ? p.identityMultiplier.apply(x) : p.alphaMultiplier.apply(x)
        output[i] = ShapeCheck.clampToInt8(p.outputZeroPoint + scaled)
    }
}
