import PerchKernels

/// One prepared operator: its kernel's parameters and the tensor slots it reads and writes.
///
/// Tensor operands are indices into the interpreter's slot table (subgraph tensor indices; scratch
/// buffers follow the tensors).
enum Operation {
    case conv2D(Conv2DParameters, input: Int, filter: Int, output: Int, scratch: Int?)
    case depthwiseConv2D(DepthwiseConv2DParameters, input: Int, filter: Int, output: Int)
    case fullyConnected(FullyConnectedParameters, input: Int, filter: Int, output: Int)
    case averagePool2D(Pool2DParameters, input: Int, output: Int)
    case maxPool2D(Pool2DParameters, input: Int, output: Int)
    case add(AddParameters, input1: Int, input2: Int, output: Int)
    case mul(MulParameters, input1: Int, input2: Int, output: Int)
    case softmax(SoftmaxParameters, input: Int, output: Int)
    case logistic(LogisticParameters, input: Int, output: Int)
    case tanh(TanhParameters, input: Int, output: Int)
    case hardSwish(HardSwishParameters, input: Int, output: Int)
    case leakyRelu(LeakyReluParameters, input: Int, output: Int)
    case concatenation(ConcatenationParameters, inputs: [Int], output: Int)
    case mean(MeanParameters, input: Int, output: Int)
    case pad(PadParameters, input: Int, output: Int)
    case resizeBilinear(ResizeBilinearParameters, input: Int, output: Int)
    case transpose(TransposeParameters, input: Int, output: Int)
    case spaceToBatchND(SpaceToBatchNDParameters, input: Int, output: Int)
    case batchToSpaceND(BatchToSpaceNDParameters, input: Int, output: Int)
    case quantize(QuantizeParameters, input: Int, output: Int)
    case requantize(RequantizeParameters, input: Int, output: Int)
    case dequantize(DequantizeParameters, input: Int, output: Int)
    /// RESHAPE: the bytes are unchanged, copied to the output tensor.
    case copy(input: Int, output: Int)

    /// The same operation with its scratch buffer slot filled in (for kernels that asked for one).
    func withScratch(_ slot: Int?) -> Operation {
        guard let slot else { return self }
        switch self {
        case .conv2D(let p, let input, let filter, let output, _):
            return .conv2D(p, input: input, filter: filter, output: output, scratch: slot)
        default:
            return self
        }
    }
}

/// A prepared operation and the scratch bytes it needs during `invoke`.
struct PreparedOperation {
    var operation: Operation
    var scratchBytes: Int = 0
    /// Bytes of weight copies the kernel made at prepare time (outside the arena).
    var preparedWeightBytes: Int = 0
}
