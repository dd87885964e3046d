import PerchKernels

// MARK: - Helpers that run a kernel over arrays

/// Runs a kernel that reads an input and a filter and writes `count` int8 values.
func runKernel(
    input: [Int8], filter: [Int8], outputCount: Int,
    _ body: (Span<Int8>, Span<Int8>, inout MutableSpan<Int8>) -> Void
) -> [Int8] {
    var output = [Int8](repeating: 99, count: outputCount)
    var outputSpan = output.mutableSpan
    body(input.span, filter.span, &outputSpan)
    _ = consume outputSpan
    return output
}

/// Runs a kernel that reads one input and writes `count` int8 values.
func runKernel(input: [Int8], outputCount: Int, _ body: (Span<Int8>, inout MutableSpan<Int8>) -> Void) -> [Int8] {
    var output = [Int8](repeating: 99, count: outputCount)
    var outputSpan = output.mutableSpan
    body(input.span, &outputSpan)
    _ = consume outputSpan
    return output
}

extension SplitMix64 {
    /// A random fused activation among those int8 kernels support.
    mutating func activation() -> FusedActivation {
        pick([.none, .relu, .relu6, .reluN1To1])
    }

    /// A random zero point in [−128, 127].
    mutating func zeroPoint() -> Int32 {
        int32(in: -128...127)
    }
}
