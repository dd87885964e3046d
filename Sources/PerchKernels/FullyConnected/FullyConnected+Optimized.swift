// MARK: - FULLY_CONNECTED (int8): optimized kernel

/// Int8 fully connected layer, optimized; bit-exact with ``fullyConnectedReference(_:input:filter:output:)``.
///
/// The input offset is folded into the bias at prepare time (`bias + (inputOffset − 128) · Σ filter row`),
/// so each output is a plain dot product of `x + 128` (unsigned) and the int8 weights, computed four (or two, or one) rows × four units at a time with the
/// vectorized micro-kernels CONV_2D uses, then requantized eight lanes at once (double rounding).
///
/// - Parameters:
///   - p: prepared parameters.
///   - input: `batches · depth` int8 values.
///   - filter: the `[units, depth]` weights given to prepare.
///   - output: `batches · units` int8 values; fully overwritten.
/// - Precondition: the span sizes match the shapes.
public func fullyConnectedOptimized(
    _ p: FullyConnectedParameters, input: Span<Int8>, filter: Span<Int8>, output: inout MutableSpan<Int8>
) {
    precondition(input.count == p.batches * p.depth, "input size does not match the prepared shape")
    precondition(filter.count == p.units * p.depth, "filter size does not match the prepared shape")
    precondition(output.count == p.batches * p.units, "output size does not match the prepared shape")
    input.withUnsafeBufferPointer { inBuffer in
        filter.withUnsafeBufferPointer { filterBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                p.foldedBias.withUnsafeBufferPointer { bias in
                    p.outputMultipliers.withUnsafeBufferPointer { multipliers in
                        p.outputShifts.withUnsafeBufferPointer { shifts in
                            let constants = DotKernels.Constants(
                                bias: bias.baseAddress!, multipliers: multipliers.baseAddress!,
                                shifts: shifts.baseAddress!, outputOffset: p.outputOffset,
                                activationMin: p.activationMin, activationMax: p.activationMax)
                            let segments = DotKernels.Segments(
                                count: 1, length: p.depth, inputStride: 0, channelStride: p.depth)
                            let x = inBuffer.baseAddress!
                            let out = outBuffer.baseAddress!
                            var batch = 0
                            let depth = p.depth
                            let units = p.units
                            while batch + 4 <= p.batches {
                                let row = x + batch * depth
                                let o = out + batch * units
                                DotKernels.quad(
                                    (row, row + depth, row + 2 * depth, row + 3 * depth), filterBuffer.baseAddress!,
                                    segments, channels: units, constants: constants,
                                    (o, o + units, o + 2 * units, o + 3 * units))
                                batch += 4
                            }
                            while batch < p.batches {
                                let pair = batch + 1 < p.batches
                                DotKernels.pixels(
                                    pair: pair, x + batch * p.depth, x + (batch + 1) * p.depth,
                                    filterBuffer.baseAddress!, segments, channels: p.units, constants: constants,
                                    out + batch * p.units, out + (batch + 1) * p.units)
                                batch += pair ? 2 : 1
                            }
                        }
                    }
                }
            }
        }
    }
}
