/// Int8 → float32 DEQUANTIZE, TFLite reference (`reference_ops::Dequantize`).
///
/// `y = Float(scale · Double(q − zp))`: the product is taken in `Double` (TFLite keeps the scale as
/// a `double`) and rounded once to `Float`.
///
/// - Parameters:
///   - p: Prepared parameters.
///   - input: The int8 input, `p.elementCount` elements.
///   - output: The float output, same size.
/// - Precondition: The buffers have the prepared sizes.
public func dequantizeReference(_ p: DequantizeParameters, input: Span<Int8>, output: inout MutableSpan<Float>) {
    precondition(input.count == p.elementCount && output.count == p.elementCount)
    for i in 0..<p.elementCount {
        output[i] = Float(p.scale * Double(Int32(input[i]) - p.zeroPoint))
    }
}
