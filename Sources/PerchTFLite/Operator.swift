/// One entry of `SubGraph.operators`, in execution order.
public struct Operator: Sendable, Equatable {
    /// `opcode_index`: index into ``TFLiteModel/operatorCodes`` (checked).
    public let opcodeIndex: UInt32
    /// `inputs`: tensor indices into the subgraph (checked), -1 for an absent optional input.
    public let inputs: [Int32]
    /// `outputs`: tensor indices into the subgraph (checked).
    public let outputs: [Int32]
    /// `intermediates`: tensor indices internal to the operator (checked), empty when absent.
    public let intermediates: [Int32]
    /// `builtin_options`, decoded for the supported operators.
    public let options: BuiltinOptions
    /// The bytes of `custom_options` in ``TFLiteModel/bytes`` (inline, or `large_custom_options_offset`/
    /// `_size` for models over 2 GB), or `nil` when absent.
    public let customOptions: Range<Int>?

    /// Creates an operator.
    public init(
        opcodeIndex: UInt32,
        inputs: [Int32],
        outputs: [Int32],
        intermediates: [Int32] = [],
        options: BuiltinOptions = .none,
        customOptions: Range<Int>? = nil
    ) {
        self.opcodeIndex = opcodeIndex
        self.inputs = inputs
        self.outputs = outputs
        self.intermediates = intermediates
        self.options = options
        self.customOptions = customOptions
    }
}

extension ModelDecoder {
    /// Decodes an `Operator` table and checks its indices.
    ///
    /// - Throws: ``ModelError/operatorCodeIndexOutOfRange(index:count:field:)``,
    ///   ``ModelError/tensorIndexOutOfRange(index:count:field:)``, ``ModelError/unknownUnionType(_:offset:field:)``,
    ///   and any structural error.
    mutating func `operator`(
        _ table: FlatBufferTable,
        operatorCodeCount: Int,
        tensorCount: Int
    ) throws(ModelError) -> Operator {
        let opcodeIndex = try table.uint32(0, "opcode_index")
        guard UInt64(opcodeIndex) < UInt64(operatorCodeCount) else {
            throw .operatorCodeIndexOutOfRange(
                index: opcodeIndex,
                count: operatorCodeCount,
                field: table.path.appending("opcode_index")
            )
        }
        let inputs = try int32s(table, 1, "inputs") ?? []
        try checkTensorIndices(
            inputs, tensorCount: tensorCount, allowAbsent: true, field: table.path.appending("inputs"))
        let outputs = try int32s(table, 2, "outputs") ?? []
        try checkTensorIndices(
            outputs, tensorCount: tensorCount, allowAbsent: false, field: table.path.appending("outputs"))
        let options = try builtinOptions(of: table)
        var customOptions = try byteRange(table, 5, "custom_options")
        let largeOffset = try table.uint64(9, "large_custom_options_offset")
        if largeOffset > 1 {
            let largeSize = try table.uint64(10, "large_custom_options_size")
            customOptions = try externalRange(
                offset: largeOffset,
                size: largeSize,
                field: table.path.appending("large_custom_options_offset")
            )
        }
        let intermediates = try int32s(table, 8, "intermediates") ?? []
        try checkTensorIndices(
            intermediates,
            tensorCount: tensorCount,
            allowAbsent: false,
            field: table.path.appending("intermediates")
        )
        return Operator(
            opcodeIndex: opcodeIndex,
            inputs: inputs,
            outputs: outputs,
            intermediates: intermediates,
            options: options,
            customOptions: customOptions
        )
    }

    /// Checks that every index is in `0..<tensorCount` (or -1 when `allowAbsent`).
    ///
    /// - Throws: ``ModelError/tensorIndexOutOfRange(index:count:field:)`` naming the element's position.
    func checkTensorIndices(
        _ indices: [Int32],
        tensorCount: Int,
        allowAbsent: Bool,
        field: FieldPath
    ) throws(ModelError) {
        for (position, index) in indices.enumerated() {
            if allowAbsent, index == -1 { continue }
            guard index >= 0, Int64(index) < Int64(tensorCount) else {
                throw .tensorIndexOutOfRange(index: index, count: tensorCount, field: field.appending(index: position))
            }
        }
    }
}
