// MARK: - CONV_2D (int8): hardware dot-product path (AVX-512 VNNI)

#if canImport(CPerchDot)
    import CPerchDot
#endif

/// The CPU's four-byte dot-product instruction, for the optimized CONV_2D.
///
/// AVX-512 VNNI's `vpdpbusd` multiplies four unsigned bytes by four signed bytes and adds the four
/// products to a 32-bit lane: 64 multiply-accumulates per instruction, four times what the Swift loops
/// get from `vpdpwssd` (which LLVM uses for one 16-bit product per lane). Swift cannot name the
/// instruction, so the tile loop is a small C function (`CPerchDot`) chosen at prepare time when the CPU
/// has it. The operands are the same as the Swift loops' (`x + 128` unsigned, the weight signed, the folded
/// bias added after), and the products and sums are exact in 32 bits. The C function also requantizes, in
/// sixteen-lane registers, with the same recipe as ``VectorRequantization`` (Swift's eight-lane form was half
/// the path's time, through a round trip in memory), so the result is bit-identical; the seeded random tests
/// compare it with the reference kernel over both ends of the shift range. Builds without the C target
/// (Embedded Swift, the ARM cross-builds) report it unavailable.
public enum HardwareDotProduct {
    /// Whether this build and this CPU have the instruction (checked with `cpuid` and `xgetbv`).
    public static var isAvailable: Bool {
        #if canImport(CPerchDot)
            perch_dot_available() != 0
        #else
            false
        #endif
    }

    /// The name of the instructions the optimized CONV_2D uses on this CPU, for reports: `avx512-vnni`, or
    /// `swift-simd` for the Swift loops.
    public static var name: String { isAvailable ? "avx512-vnni" : "swift-simd" }

    /// Output channels rounded up to whole sixteen-lane vectors.
    static func paddedChannels(_ channels: Int) -> Int { (channels + 15) / 16 * 16 }

    /// The filter (OHWI, `C_out` rows of `rows · runLength` values) in the C kernel's layout
    /// `[rows][groups][paddedChannels][4]`, `groups = ⌈runLength / 4⌉`, zero past each run and in the
    /// padding channels.
    static func pack(_ filter: Span<Int8>, channels: Int, rows: Int, runLength: Int) -> [Int8] {
        let groups = (runLength + 3) / 4
        let padded = paddedChannels(channels)
        var packed = [Int8](repeating: 0, count: rows * groups * padded * 4)
        for channel in 0..<channels {
            for row in 0..<rows {
                for tap in 0..<runLength {
                    let destination = ((row * groups + tap / 4) * padded + channel) * 4 + tap % 4
                    packed[destination] = filter[(channel * rows + row) * runLength + tap]
                }
            }
        }
        return packed
    }
}

#if canImport(CPerchDot)
    /// Loop nest of the hardware dot-product path: for each run of four pixels and each block of up to 64 output
    /// channels, the C kernel sums the window, adds the folded bias, requantizes (sixteen lanes at a time, the
    /// same integers as ``VectorRequantization``) and stores the output bytes. Border pixels take the scalar path.
    func conv2DDotProductBody(
        _ p: Conv2DParameters, _ input: UnsafePointer<Int8>, _ filter: UnsafePointer<Int8>,
        _ packed: UnsafePointer<Int8>, _ output: UnsafeMutablePointer<Int8>, _ k: DotKernels.Constants
    ) {
        let (inShape, outShape) = p.loopShapes
        let rows = Int32(p.filterShape.height)
        let runLength = Int32(p.filterShape.width * inShape.depth)
        let rowStride = inShape.width * inShape.depth
        let channels = outShape.depth
        let padded = HardwareDotProduct.paddedChannels(channels)
        var requantization = perch_dot_requantization(
            folded_bias: k.bias, multipliers: k.multipliers, shifts: k.shifts, output_offset: k.outputOffset,
            activation_min: k.activationMin, activation_max: k.activationMax)
        withUnsafePointer(to: &requantization) { q in
            conv2DForEachInteriorQuad(p, input, filter, output) { xs, os, _ in
                var c = 0
                while c < channels {
                    let block = min(64, padded - c)
                    perch_dot_conv_tile_u8s8(
                        xs.0, xs.1, xs.2, xs.3, rowStride, rows, runLength, packed + 4 * c, Int32(padded), Int32(c),
                        Int32(block), Int32(min(block, channels - c)), q, os.0, os.1, os.2, os.3)
                    c += block
                }
            }
        }
    }
#endif
