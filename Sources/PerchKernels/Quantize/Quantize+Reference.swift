/// Float32 → int8 QUANTIZE, TFLite reference (`reference_ops::AffineQuantize`).
///
/// `q = clamp(Int32(TfLiteRound(x / scale)) + zp, −128, 127)`: the division is in `Float` and
/// `TfLiteRound` rounds half away from zero. Converting an out-of-range or NaN quotient to int32 is
/// undefined behaviour in C++; here it saturates (NaN becomes 0), as ARM's `fcvtzs` does.
///
/// - Parameters:
///   - p: Prepared parameters.
///   - input: The float input, `p.elementCount` elements.
///   - output: The int8 output, same size.
/// - Precondition: The buffers have the prepared sizes.
public func quantizeReference(_ p: QuantizeParameters, input: Span<Float>, output: inout MutableSpan<Int8>) {
    precondition(input.count == p.elementCount && output.count == p.elementCount)
    for i in 0..<p.elementCount {
        let rounded = (input[i] / p.outputScale).rounded(.toNearestOrAwayFromZero)
        let integer: Int64
        if rounded.isNaN {
            integer = 0
        } else if rounded >= 2147483648.0 {
            integer = Int64(Int32.max)
        } else if rounded < -2147483648.0 {
            integer = Int64(Int32.min)
        } else {
            integer = Int64(rounded)
        }
        let value = min(max(integer + Int64(p.outputZeroPoint), -128), 127)
        output[i] = Int8(truncatingIfNeeded: value)
    }
}
