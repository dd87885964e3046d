/// How an ``Interpreter`` prepares and runs a model.
public struct InterpreterOptions: Sendable {
    /// Which kernel implementation runs each operator.
    public enum Kernels: Sendable {
        /// The optimized kernels (the default); they equal the reference kernels bit for bit.
        case optimized
        /// The straightforward reference kernels, ported from TFLite's reference implementation.
        case reference
    }

    /// Which kernels to run.
    public var kernels: Kernels
    /// The most bytes the arena and the kernels' prepared weight copies
    /// (``Interpreter/preparedWeightByteCount``) may take together; preparing a model that needs more fails.
    public var arenaBudget: Int?

    /// Keep every intermediate tensor alive to the end (no arena reuse), so all can be read after
    /// `invoke()` with ``Interpreter/tensorData(_:)``: for debugging a model, layer by layer.
    public var preserveAllTensors: Bool

    /// Let the optimized CONV_2D and DEPTHWISE_CONV_2D use the C kernels for the CPU's dot-product instructions
    /// when it has them (``PerchKernels/HardwareDotProduct``; the default). `false` runs the portable Swift loops
    /// on every CPU, to compare the two. The results are the same bit for bit either way.
    public var hardwareDotProduct: Bool

    /// Creates options.
    public init(
        kernels: Kernels = .optimized, arenaBudget: Int? = nil, preserveAllTensors: Bool = false,
        hardwareDotProduct: Bool = true
    ) {
        self.kernels = kernels
        self.arenaBudget = arenaBudget
        self.preserveAllTensors = preserveAllTensors
        self.hardwareDotProduct = hardwareDotProduct
    }
}
