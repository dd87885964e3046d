/// One entry of `SubGraph.tensors`: a tensor's static description (its data, if constant, is in a buffer).
public struct Tensor: Sendable, Equatable {
    /// `shape`: static dimensions, all ≥ 0 (checked). Empty for a scalar or an unknown rank.
    public let shape: [Int32]
    /// `type`: the element type.
    public let type: TensorType
    /// `buffer`: index into ``TFLiteModel/buffers`` (checked); buffer 0 is the empty sentinel.
    public let buffer: UInt32
    /// `name` (empty when absent).
    public let name: String
    /// `quantization`, or `nil` when the table is absent.
    public let quantization: Quantization?
    /// `is_variable`.
    public let isVariable: Bool
    /// `shape_signature`: the shape with -1 for dynamic dimensions, or `nil` when absent.
    public let shapeSignature: [Int32]?
    /// `has_rank`: distinguishes a scalar (shape `[]`, rank known) from an unknown rank.
    public let hasRank: Bool
    /// Whether the tensor has `sparsity` parameters (its data is then not dense; unsupported by the runtime).
    public let isSparse: Bool
    /// The index of the subgraph this tensor belongs to.
    public let subgraphIndex: Int
    /// The index of this tensor in its subgraph's `tensors`.
    public let index: Int

    /// Creates a tensor description.
    public init(
        shape: [Int32],
        type: TensorType,
        buffer: UInt32 = 0,
        name: String = "",
        quantization: Quantization? = nil,
        isVariable: Bool = false,
        shapeSignature: [Int32]? = nil,
        hasRank: Bool = false,
        isSparse: Bool = false,
        subgraphIndex: Int = 0,
        index: Int = 0
    ) {
        self.shape = shape
        self.type = type
        self.buffer = buffer
        self.name = name
        self.quantization = quantization
        self.isVariable = isVariable
        self.shapeSignature = shapeSignature
        self.hasRank = hasRank
        self.isSparse = isSparse
        self.subgraphIndex = subgraphIndex
        self.index = index
    }

    /// The number of elements, the product of ``shape`` (1 for a scalar), or `nil` on overflow.
    public var elementCount: Int? {
        var count = 1
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: Int(dimension))
            if overflow { return nil }
            count = product
        }
        return count
    }

    /// Where this tensor sits in the model, e.g. `Model.subgraphs[0].tensors[33]`.
    public var path: FieldPath {
        FieldPath.model.appending("subgraphs").appending(index: subgraphIndex).appending("tensors").appending(
            index: index)
    }
}

extension ModelDecoder {
    /// Decodes a `Tensor` table and checks it against the model's buffers.
    ///
    /// - Throws: ``ModelError/negativeDimension(_:field:)``, ``ModelError/bufferIndexOutOfRange(index:count:field:)``,
    ///   ``ModelError/dataSizeMismatch(expected:actual:field:)`` when constant data does not match
    ///   shape × element size, ``ModelError/elementCountOverflow(field:)``, and any structural error.
    mutating func tensor(
        _ table: FlatBufferTable,
        subgraphIndex: Int,
        index: Int,
        buffers: [BufferData]
    ) throws(ModelError) -> Tensor {
        let shape = try int32s(table, 0, "shape") ?? []
        for dimension in shape where dimension < 0 {
            throw .negativeDimension(dimension, field: table.path.appending("shape"))
        }
        let type = try table.enumValue(1, "type", default: TensorType.float32)
        let buffer = try table.uint32(2, "buffer")
        guard UInt64(buffer) < UInt64(buffers.count) else {
            throw .bufferIndexOutOfRange(index: buffer, count: buffers.count, field: table.path.appending("buffer"))
        }
        let name = try string(table, 3, "name") ?? ""
        let quantization: Quantization?
        if let quantizationTable = try table.table(4, "quantization") {
            quantization = try self.quantization(quantizationTable)
        } else {
            quantization = nil
        }
        let isVariable = try table.bool(5, "is_variable")
        let isSparse = try table.target(6, "sparsity") != nil
        let shapeSignature = try int32s(table, 7, "shape_signature")
        let hasRank = try table.bool(8, "has_rank")
        let tensor = Tensor(
            shape: shape,
            type: type,
            buffer: buffer,
            name: name,
            quantization: quantization,
            isVariable: isVariable,
            shapeSignature: shapeSignature,
            hasRank: hasRank,
            isSparse: isSparse,
            subgraphIndex: subgraphIndex,
            index: index
        )
        let data = buffers[Int(buffer)].range
        if !data.isEmpty, !isSparse, let elementSize = type.byteSize {
            guard let count = tensor.elementCount else {
                throw .elementCountOverflow(field: table.path.appending("shape"))
            }
            let (expected, overflow) = count.multipliedReportingOverflow(by: elementSize)
            guard !overflow else { throw .elementCountOverflow(field: table.path.appending("shape")) }
            guard expected == data.count else {
                throw .dataSizeMismatch(expected: expected, actual: data.count, field: table.path)
            }
        }
        return tensor
    }
}
