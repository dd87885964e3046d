/// One entry of `Model.subgraphs`: a graph of tensors and operators. Subgraph 0 is the main model.
public struct Subgraph: Sendable, Equatable {
    /// `tensors`: every tensor of the graph; operators and inputs/outputs refer to them by index.
    public let tensors: [Tensor]
    /// `inputs`: indices of the graph's input tensors (checked).
    public let inputs: [Int32]
    /// `outputs`: indices of the graph's output tensors (checked).
    public let outputs: [Int32]
    /// `operators`, in execution order.
    public let operators: [Operator]
    /// `name`, or `nil` when absent.
    public let name: String?

    /// Creates a subgraph.
    public init(tensors: [Tensor], inputs: [Int32], outputs: [Int32], operators: [Operator], name: String? = nil) {
        self.tensors = tensors
        self.inputs = inputs
        self.outputs = outputs
        self.operators = operators
        self.name = name
    }
}

extension ModelDecoder {
    /// Decodes a `SubGraph` table: its tensors first, then the indices and operators that refer to them.
    mutating func subgraph(
        _ table: FlatBufferTable,
        index subgraphIndex: Int,
        operatorCodeCount: Int,
        buffers: [BufferData]
    ) throws(ModelError) -> Subgraph {
        var tensors: [Tensor] = []
        if let vector = try tables(table, 0, "tensors") {
            tensors.reserveCapacity(vector.count)
            for index in 0..<vector.count {
                let element = try vector.table(at: index)
                tensors.append(try tensor(element, subgraphIndex: subgraphIndex, index: index, buffers: buffers))
            }
        }
        let inputs = try int32s(table, 1, "inputs") ?? []
        try checkTensorIndices(
            inputs, tensorCount: tensors.count, allowAbsent: false, field: table.path.appending("inputs"))
        let outputs = try int32s(table, 2, "outputs") ?? []
        try checkTensorIndices(
            outputs, tensorCount: tensors.count, allowAbsent: false, field: table.path.appending("outputs"))
        var operators: [Operator] = []
        if let vector = try tables(table, 3, "operators") {
            operators.reserveCapacity(vector.count)
            for index in 0..<vector.count {
                let element = try vector.table(at: index)
                operators.append(
                    try self.operator(element, operatorCodeCount: operatorCodeCount, tensorCount: tensors.count)
                )
            }
        }
        let name = try string(table, 4, "name")
        return Subgraph(tensors: tensors, inputs: inputs, outputs: outputs, operators: operators, name: name)
    }
}
