// MARK: - FULLY_CONNECTED (int8): reference kernel

/// Int8 fully connected layer, a straight port of TFLite's `reference_integer_ops::FullyConnected`
/// (per-tensor) and `FullyConnectedPerChannel` (per-channel), which differ only in where the
/// multiplier comes from once the filter zero point is 0.
///
/// `acc = Σ_d filter[u, d] · (input[b, d] + inputOffset) + bias[u]`, then
/// `MultiplyByQuantizedMultiplier` (gemmlowp double rounding), `+ outputOffset`, clamp.
/// Accumulation wraps on `Int32` overflow.
///
/// - Parameters:
///   - p: prepared parameters.
///   - input: `batches · depth` int8 values.
///   - filter: `units · depth` int8 values, row-major `[units, depth]` (the data given to prepare).
///   - output: `batches · units` int8 values; fully overwritten.
/// - Precondition: the span sizes match the shapes.
public func fullyConnectedReference(
    _ p: FullyConnectedParameters, input: Span<Int8>, filter: Span<Int8>, output: inout MutableSpan<Int8>
) {
    precondition(input.count == p.batches * p.depth, "input size does not match the prepared shape")
    precondition(filter.count == p.units * p.depth, "filter size does not match the prepared shape")
    precondition(output.count == p.batches * p.units, "output size does not match the prepared shape")
    for batch in 0..<p.batches {
        for unit in 0..<p.units {
            var acc: Int32 = 0
            for d in 0..<p.depth {
                let inputValue = Int32(input[batch * p.depth + d])
                let filterValue = Int32(filter[unit * p.depth + d])
                acc &+= filterValue &* (inputValue &+ p.inputOffset)
            }
            acc &+= p.bias[unit]
            acc = FixedPoint.multiplyByQuantizedMultiplier(acc, p.outputMultipliers[unit], shift: p.outputShifts[unit])
            acc &+= p.outputOffset
            acc = max(acc, p.activationMin)
            acc = min(acc, p.activationMax)
            output[unit + p.units * batch] = Int8(acc)
        }
    }
}
