/// Prepared parameters of the int8 `RESIZE_BILINEAR` operator (TFLite builtin RESIZE_BILINEAR).
///
/// TFLite Micro runs `reference_ops::ResizeBilinearInteger` for int8: 10-bit fixed-point source
/// coordinates. The scales are `round(2^10 · in / out)` (integer division with a half-divisor
/// offset), or `round(2^10 · (in − 1) / (out − 1))` with `alignCorners` and `out > 1`. The size is a
/// constant int32 tensor `[height, width]`; the input is NHWC. Input and output share quantization
/// (the kernel copies interpolated raw values).
public struct ResizeBilinearParameters: Sendable {
    /// Input shape (NHWC).
    public let inputShape: Shape4
    /// Output shape (NHWC).
    public let outputShape: Shape4
    /// Whether corner pixels of input and output are aligned.
    public let alignCorners: Bool
    /// Whether pixel centers sit at half-integer coordinates.
    public let halfPixelCenters: Bool
    /// Source-row step in Q10.
    public let heightScale: Int32
    /// Source-column step in Q10.
    public let widthScale: Int32

    /// Prepares an int8 RESIZE_BILINEAR.
    ///
    /// - Parameters:
    ///   - inputShape: Input shape, rank 4 (NHWC).
    ///   - size: The constant size tensor, `[newHeight, newWidth]`, both ≥ 1.
    ///   - alignCorners: The operator's `align_corners`.
    ///   - halfPixelCenters: The operator's `half_pixel_centers` (exclusive with `alignCorners`).
    ///   - outputShape: The model's output shape; must be `[N, newHeight, newWidth, C]`.
    /// - Throws: ``KernelError`` for a rank other than 4, a bad size tensor, both flags set, or an
    ///   inconsistent output shape.
    public init(
        inputShape: [Int], size: [Int32], alignCorners: Bool, halfPixelCenters: Bool, outputShape: [Int]
    ) throws(KernelError) {
        guard inputShape.count == 4 else {
            throw .rankMismatch(tensor: .input(0), expected: 4, actual: inputShape.count)
        }
        _ = try ShapeCheck.elementCount(inputShape, role: .input(0))
        guard size.count == 2 && size[0] >= 1 && size[1] >= 1 else {
            throw .shapeMismatch(tensor: .input(1), expected: [2], actual: [size.count])
        }
        guard !(alignCorners && halfPixelCenters) else { throw .unsupportedParameter(.alignCorners, value: 1) }
        let expected = [inputShape[0], Int(size[0]), Int(size[1]), inputShape[3]]
        try ShapeCheck.require(outputShape, equals: expected, role: .output(0))
        let input = try Shape4(extending: inputShape, role: .input(0))
        let output = try Shape4(extending: outputShape, role: .output(0))
        guard input.height < (1 << 20) && input.width < (1 << 20) else {
            throw .shapeMismatch(tensor: .input(0), expected: [], actual: inputShape)
        }
        self.inputShape = input
        self.outputShape = output
        self.alignCorners = alignCorners
        self.halfPixelCenters = halfPixelCenters
        heightScale = Self.scale(input: input.height, output: output.height, alignCorners: alignCorners)
        widthScale = Self.scale(input: input.width, output: output.width, alignCorners: alignCorners)
    }

    /// The Q10 step of `ResizeBilinearInteger` along one axis.
    static func scale(input: Int, output: Int, alignCorners: Bool) -> Int32 {
        let i = Int32(input)
        let o = Int32(output)
        if alignCorners && o > 1 {
            return ((1 << 10) * (i - 1) + (o - 1) / 2) / (o - 1)
        }
        return ((1 << 10) * i + o / 2) / o
    }
}
