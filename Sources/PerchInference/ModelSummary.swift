import PerchTFLite

/// What `perch inspect` shows: the operators, tensors and costs of subgraph 0.
public struct ModelSummary: Sendable {
    /// One row per distinct operator: its name, version and how many times it occurs.
    public struct OperatorCount: Equatable, Sendable {
        public var name: String
        public var version: Int32
        public var count: Int
    }

    /// One row per tensor.
    public struct TensorRow: Equatable, Sendable {
        public var index: Int
        public var name: String
        public var shape: [Int]
        public var type: String
        /// Per-tensor scale, or the first of per-channel scales.
        public var scale: Float?
        public var zeroPoint: Int64?
        /// Number of per-channel scales (1 for per-tensor, 0 when not quantized).
        public var scaleCount: Int
        /// Whether the tensor's data lives in the model (weights, biases, shapes).
        public var isConstant: Bool
    }

    /// Schema version of the file.
    public var schemaVersion: UInt32
    /// Operator counts, in first-occurrence order.
    public var operators: [OperatorCount]
    /// Operator names in execution order.
    public var operatorSequence: [String]
    /// Every tensor of subgraph 0.
    public var tensors: [TensorRow]
    /// Graph input and output tensor indices.
    public var inputs: [Int]
    public var outputs: [Int]
    /// Multiply-accumulates of one inference (conv: output elements × kh·kw·cin; depthwise: output
    /// elements × kh·kw; fully connected: outputs × inputs).
    public var macs: Int
    /// Bytes of constant tensor data (weights, biases).
    public var weightBytes: Int

    /// Summarizes subgraph 0 of `model`.
    ///
    /// - Throws: ``InterpreterError/noSubgraph`` when the model has none.
    public init(model: TFLiteModel) throws(InterpreterError) {
        guard let graph = model.subgraphs.first else { throw .noSubgraph }
        schemaVersion = model.schemaVersion
        var counts: [OperatorCount] = []
        var sequence: [String] = []
        var macs = 0
        for op in graph.operators {
            let code = model.operatorCodes[Int(op.opcodeIndex)]
            let name = code.customCode.map { "CUSTOM(\($0))" } ?? code.builtin.description
            sequence.append(name)
            if let row = counts.firstIndex(where: { $0.name == name && $0.version == code.version }) {
                counts[row].count += 1
            } else {
                counts.append(OperatorCount(name: name, version: code.version, count: 1))
            }
            macs += Self.macs(of: op, code: code.builtin, graph: graph)
        }
        operators = counts
        operatorSequence = sequence
        var weightBytes = 0
        tensors = graph.tensors.enumerated().map { index, tensor in
            let constant = model.data(of: tensor)
            weightBytes += constant?.count ?? 0
            return TensorRow(
                index: index,
                name: tensor.name,
                shape: tensor.shape.map { Int($0) },
                type: tensor.type.description,
                scale: tensor.quantization?.scale.first,
                zeroPoint: tensor.quantization?.zeroPoint.first,
                scaleCount: tensor.quantization?.scale.count ?? 0,
                isConstant: constant != nil
            )
        }
        self.weightBytes = weightBytes
        self.macs = macs
        inputs = graph.inputs.map { Int($0) }
        outputs = graph.outputs.map { Int($0) }
    }

    private static func macs(of op: Operator, code: BuiltinOperator, graph: Subgraph) -> Int {
        func shape(_ position: Int, outputs: Bool = false) -> [Int]? {
            let list = outputs ? op.outputs : op.inputs
            guard position < list.count, list[position] >= 0, Int(list[position]) < graph.tensors.count else { return nil }
            return graph.tensors[Int(list[position])].shape.map { Int($0) }
        }
        guard let output = shape(0, outputs: true), let filter = shape(1) else { return 0 }
        let outputElements = output.reduce(1, *)
        switch code {
        case .conv2D:
            guard filter.count == 4 else { return 0 }
            return outputElements * filter[1] * filter[2] * filter[3]
        case .depthwiseConv2D:
            guard filter.count == 4 else { return 0 }
            return outputElements * filter[1] * filter[2]
        case .fullyConnected:
            guard filter.count == 2 else { return 0 }
            return outputElements * filter[1]
        default:
            return 0
        }
    }
}
