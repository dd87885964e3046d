// MARK: - DEPTHWISE_CONV_2D (int8): the C kernel for CPUs with AVX-512 VNNI

#if canImport(CPerchDot)
    import CPerchDot
#endif

/// Four consecutive interior output pixels (depth multiplier 1), every channel, through `CPerchDot`: the same
/// `(x + 128) · w` sums from the folded bias as ``depthwiseConv2DOptimized(_:input:filter:output:)``'s Swift
/// loops, requantized sixteen lanes at a time in registers (in Swift, eight-lane requantization was about a
/// third of the kernel's time). Only reached when ``DepthwiseConv2DParameters/usesHardwareDotProduct``.
@inline(__always)
func depthwiseQuadOnHardwareDotProduct(
    _ p: DepthwiseConv2DParameters, _ origin: UnsafePointer<Int8>, _ filter: UnsafePointer<Int8>,
    _ out: UnsafeMutablePointer<Int8>, _ k: DotKernels.Constants, _ folded: UnsafePointer<Int32>
) {
    #if canImport(CPerchDot)
        var requantization = perch_dot_requantization(
            folded_bias: folded, multipliers: k.multipliers, shifts: k.shifts, output_offset: k.outputOffset,
            activation_min: k.activationMin, activation_max: k.activationMax)
        let inDepth = p.inputShape.depth
        perch_dot_depthwise_quad(
            origin, p.dilationHeight * p.inputShape.width * inDepth, p.dilationWidth * inDepth,
            p.strideWidth * inDepth, Int32(p.filterShape.height), Int32(p.filterShape.width), filter,
            Int32(p.outputShape.depth), &requantization, out)
    #else
        preconditionFailure("usesHardwareDotProduct is false in builds without CPerchDot")
    #endif
}
