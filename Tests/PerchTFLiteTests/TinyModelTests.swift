import PerchTFLite
import Testing

/// A hand-built valid model decodes to exactly what was written.
@Suite struct TinyModelTests {
    let model: TFLiteModel

    init() throws {
        model = try TFLiteModel(bytes: TinyModel().bytes)
    }

    @Test func decodesModelFields() {
        #expect(model.schemaVersion == 3)
        #expect(model.description == "tiny test model")
        #expect(model.buffers.count == 3)
        #expect(model.buffers[0].range.isEmpty)
        #expect(model.subgraphs.count == 1)
        #expect(model.subgraphs[0].name == "main")
        #expect(model.subgraphs[0].inputs == [0])
        #expect(model.subgraphs[0].outputs == [2])
    }

    @Test func effectiveBuiltinCodeIsMaxOfDeprecatedAndNewField() {
        #expect(model.operatorCodes.count == 3)
        #expect(model.operatorCodes[0].builtin == .add)
        #expect(model.operatorCodes[0].version == 1)  // schema default
        #expect(model.operatorCodes[1].builtin == .gelu)
        #expect(model.operatorCodes[1].builtin.rawValue == 150)
        #expect(model.operatorCodes[1].version == 2)
        #expect(model.operatorCodes[2].builtin == .custom)
        #expect(model.operatorCodes[2].customCode == "MyCustomOp")
    }

    @Test func decodesTensors() throws {
        let tensors = model.subgraphs[0].tensors
        #expect(tensors.count == 4)
        #expect(tensors[0].name == "input")
        #expect(tensors[0].shape == [1, 2, 2, 1])
        #expect(tensors[0].type == .int8)
        #expect(tensors[0].buffer == 0)
        #expect(model.data(of: tensors[0]) == nil)
        let quantization = try #require(tensors[0].quantization)
        #expect(quantization.scale == [0.5])
        #expect(quantization.zeroPoint == [-1])
        #expect(quantization.min == [-1, 1])
        #expect(quantization.isAffine)
        #expect(tensors[2].quantization?.zeroPoint == [3])
        #expect(tensors[3].type == .int32)
        #expect(tensors[3].quantization?.quantizedDimension == 3)
        #expect(tensors[3].quantization?.channelAxis(rank: 1) == 0)
        #expect(tensors[3].path == fieldPath("Model.subgraphs[0].tensors[3]"))
    }

    @Test func constantDataIsARangeIntoTheFile() throws {
        let weights = model.subgraphs[0].tensors[1]
        let range = try #require(model.data(of: weights))
        #expect(Array(model.bytes[range]) == TinyModel.weightBytes)
        #expect(try model.int32Values(of: model.subgraphs[0].tensors[3]) == TinyModel.biasValues)
    }

    @Test func typedAccessorsCheckTypeAndPresence() {
        let tensors = model.subgraphs[0].tensors
        #expect(
            throws: ModelError.tensorTypeMismatch(
                expected: .int32, actual: .int8, field: fieldPath("Model.subgraphs[0].tensors[1]"))
        ) {
            try model.int32Values(of: tensors[1])
        }
        #expect(
            throws: ModelError.tensorTypeMismatch(
                expected: .float32, actual: .int32, field: fieldPath("Model.subgraphs[0].tensors[3]"))
        ) {
            try model.float32Values(of: tensors[3])
        }
        let noData = Tensor(shape: [2], type: .int32, buffer: 0, subgraphIndex: 0, index: 2)
        #expect(throws: ModelError.missingData(fieldPath("Model.subgraphs[0].tensors[2]"))) {
            try model.int32Values(of: noData)
        }
    }

    @Test func decodesOperatorAndOptions() throws {
        let op = try #require(model.subgraphs[0].operators.first)
        #expect(op.opcodeIndex == 0)
        #expect(op.inputs == [0, 1, -1])
        #expect(op.outputs == [2])
        #expect(op.options == .add(AddOptions(fusedActivation: .relu, potScaleInt16: true)))
        #expect(op.options.unionType == 11)
        #expect(model.operatorCode(of: op)?.builtin == .add)
    }

    @Test func unionTypeWithoutTableGivesSchemaDefaults() throws {
        var tiny = TinyModel()
        tiny.optionsType = 1
        tiny.options = nil
        let model = try TFLiteModel(bytes: tiny.bytes)
        #expect(model.subgraphs[0].operators[0].options == .conv2D(Conv2DOptions(dilationW: 1, dilationH: 1)))
    }

    @Test func otherUnionMembersAreKeptByType() throws {
        var tiny = TinyModel()
        tiny.optionsType = 22  // PadOptions (empty table)
        tiny.options = .table([:])
        let model = try TFLiteModel(bytes: tiny.bytes)
        #expect(model.subgraphs[0].operators[0].options == .other(unionType: 22))
    }

    @Test func externalBufferOffsetAndSizeAreSupported() throws {
        var tiny = TinyModel()
        // Point the bias at 8 bytes stored outside any vector: bytes 4..<12 of the file.
        tiny.biasBufferFields = [1: .u64(4), 2: .u64(8)]
        let bytes = tiny.bytes
        let model = try TFLiteModel(bytes: bytes)
        let bias = model.subgraphs[0].tensors[3]
        #expect(model.data(of: bias) == 4..<12)
        #expect(model.buffers[2].range == 4..<12)
    }

    @Test func externalOffsetOfOneMeansInlineData() throws {
        var tiny = TinyModel()
        tiny.biasBufferFields = [0: .bytes([7, 0, 0, 0, 0xF7, 0xFF, 0xFF, 0xFF]), 1: .u64(1), 2: .u64(999)]
        let model = try TFLiteModel(bytes: tiny.bytes)
        #expect(try model.int32Values(of: model.subgraphs[0].tensors[3]) == [7, -9])
    }

    @Test func builtinOperatorNamesFollowTheSchema() {
        #expect(BuiltinOperator.conv2D.description == "CONV_2D")
        #expect(BuiltinOperator.depthwiseConv2D.rawValue == 4)
        #expect(BuiltinOperator.spaceToBatchND.description == "SPACE_TO_BATCH_ND")
        #expect(BuiltinOperator.hardSwish.rawValue == 117)
        #expect(BuiltinOperator.quantize.rawValue == 114)
        #expect(BuiltinOperator.complex.rawValue == BuiltinOperator.lastKnownRawValue)
        #expect(BuiltinOperator(rawValue: 999).description == "BUILTIN_999")
        #expect(TensorType.int8.rawValue == 9)
        #expect(TensorType.bfloat16.description == "BFLOAT16")
        #expect(TensorType(rawValue: 19) == nil)
    }
}
