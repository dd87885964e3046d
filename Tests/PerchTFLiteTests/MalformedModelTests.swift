import PerchTFLite
import Testing

/// Each hand-built broken file is rejected with exactly the expected error.
@Suite struct MalformedModelTests {
    private func load(_ bytes: [UInt8]) throws(ModelError) -> TFLiteModel {
        try TFLiteModel(bytes: bytes)
    }

    @Test func emptyAndShortFilesAreTruncated() {
        for count in 0..<8 {
            #expect(throws: ModelError.truncated(offset: 0, needed: 8, field: .model)) {
                try load([UInt8](repeating: 0, count: count))
            }
        }
    }

    @Test func fileIdentifierIsRequired() {
        var tiny = TinyModel()
        tiny.identifier = "TFL2"
        #expect(throws: ModelError.badFileIdentifier(found: Array("TFL2".utf8))) { try load(tiny.bytes) }
    }

    @Test func rootOffsetOutsideTheFile() {
        var bytes = TinyModel().bytes
        bytes.replaceSubrange(0..<4, with: le(UInt32(0x7FFF_FFF0)))
        #expect(throws: ModelError.offsetOutOfBounds(offset: 0, target: 0x7FFF_FFF0, field: .model)) { try load(bytes) }
        bytes.replaceSubrange(0..<4, with: le(UInt32(0xFFFF_FFFF)))
        #expect(throws: ModelError.offsetOutOfBounds(offset: 0, target: 0xFFFF_FFFF, field: .model)) { try load(bytes) }
        bytes.replaceSubrange(0..<4, with: le(UInt32(0)))
        #expect(throws: ModelError.offsetOutOfBounds(offset: 0, target: 0, field: .model)) { try load(bytes) }
    }

    @Test func schemaVersionMustBe3() {
        var tiny = TinyModel()
        tiny.version = 2
        #expect(throws: ModelError.unsupportedSchemaVersion(2)) { try load(tiny.bytes) }
    }

    @Test func subgraphsAndBuffersAreRequired() {
        var tiny = TinyModel()
        tiny.includeSubgraphs = false
        #expect(throws: ModelError.missingField(fieldPath("Model.subgraphs"))) { try load(tiny.bytes) }
        tiny = TinyModel()
        tiny.includeBuffers = false
        #expect(throws: ModelError.missingField(fieldPath("Model.buffers"))) { try load(tiny.bytes) }
    }

    @Test func vtableOutsideTheFile() {
        let built = TinyModel().build()
        var bytes = built.bytes
        let table = built.positions["t1"]!
        bytes.replaceSubrange(table..<(table + 4), with: le(Int32(-0x100000)))
        let error = ModelError.invalidVTable(offset: table, field: fieldPath("Model.subgraphs[0].tensors[1]"))
        #expect(throws: error) { try load(bytes) }
    }

    @Test func fieldOutsideItsTable() {
        let built = TinyModel().build()
        var bytes = built.bytes
        // Slot of field 2 (buffer) in tensor 1's vtable: 4 + 2 × 2 bytes in. Point it past the inline data.
        let slot = built.vtablePositions["t1"]! + 8
        bytes.replaceSubrange(slot..<(slot + 2), with: le(UInt16(200)))
        let table = built.positions["t1"]!
        let error = ModelError.fieldOutsideTable(
            offset: table + 200, field: fieldPath("Model.subgraphs[0].tensors[1].buffer"))
        #expect(throws: error) { try load(bytes) }
    }

    @Test func vectorLongerThanTheFile() {
        var tiny = TinyModel()
        tiny.inputShapeClaimedCount = 0x1000_0000
        let built = tiny.build()
        let error = ModelError.vectorTooLong(
            offset: built.positions["t0.shape"]!,
            count: 0x1000_0000,
            field: fieldPath("Model.subgraphs[0].tensors[0].shape")
        )
        #expect(throws: error) { try load(built.bytes) }
    }

    @Test func stringMustBeUTF8() {
        var tiny = TinyModel()
        tiny.inputName = [0x69, 0xFF, 0xFE]
        let built = tiny.build()
        let error = ModelError.invalidUTF8(
            offset: built.positions["t0.name"]!, field: fieldPath("Model.subgraphs[0].tensors[0].name"))
        #expect(throws: error) { try load(built.bytes) }
    }

    @Test func unknownTensorTypeIsAnInvalidEnumValue() {
        var tiny = TinyModel()
        tiny.inputType = 42
        let built = tiny.build()
        let error = ModelError.invalidEnumValue(
            42, offset: built.fieldPositions["t0.1"]!, field: fieldPath("Model.subgraphs[0].tensors[0].type"))
        #expect(throws: error) { try load(built.bytes) }
    }

    @Test func unknownPaddingIsAnInvalidEnumValue() {
        var tiny = TinyModel()
        tiny.optionsType = 1
        tiny.options = .table([0: .i8(7), 1: .i32(1), 2: .i32(1)], label: "options")
        let built = tiny.build()
        let error = ModelError.invalidEnumValue(
            7,
            offset: built.fieldPositions["options.0"]!,
            field: fieldPath("Model.subgraphs[0].operators[0].builtin_options.padding")
        )
        #expect(throws: error) { try load(built.bytes) }
    }

    @Test func unionTypeBeyondTheSchemaIsRejected() {
        var tiny = TinyModel()
        tiny.optionsType = 127
        let built = tiny.build()
        let error = ModelError.unknownUnionType(
            127,
            offset: built.fieldPositions["op0.3"]!,
            field: fieldPath("Model.subgraphs[0].operators[0].builtin_options_type")
        )
        #expect(throws: error) { try load(built.bytes) }
    }

    @Test func negativeDimensionIsRejected() {
        var tiny = TinyModel()
        tiny.inputShape = [1, -2, 2, 1]
        #expect(throws: ModelError.negativeDimension(-2, field: fieldPath("Model.subgraphs[0].tensors[0].shape"))) {
            try load(tiny.bytes)
        }
    }

    @Test func bufferIndexOutOfRange() {
        var tiny = TinyModel()
        tiny.weightBuffer = 9
        let error = ModelError.bufferIndexOutOfRange(
            index: 9, count: 3, field: fieldPath("Model.subgraphs[0].tensors[1].buffer"))
        #expect(throws: error) { try load(tiny.bytes) }
        #expect(
            error.description
                == "Model.subgraphs[0].tensors[1].buffer: buffer index 9 is out of range (model has 3 buffers)")
    }

    @Test func operatorTensorIndicesAreChecked() {
        var tiny = TinyModel()
        tiny.operatorInputs = [0, 7]
        #expect(
            throws: ModelError.tensorIndexOutOfRange(
                index: 7, count: 4, field: fieldPath("Model.subgraphs[0].operators[0].inputs[1]"))
        ) {
            try load(tiny.bytes)
        }
        tiny = TinyModel()
        tiny.operatorInputs = [0, -2]
        #expect(
            throws: ModelError.tensorIndexOutOfRange(
                index: -2, count: 4, field: fieldPath("Model.subgraphs[0].operators[0].inputs[1]"))
        ) {
            try load(tiny.bytes)
        }
        tiny = TinyModel()
        tiny.operatorOutputs = [-1]  // -1 ("absent") is only allowed for inputs
        #expect(
            throws: ModelError.tensorIndexOutOfRange(
                index: -1, count: 4, field: fieldPath("Model.subgraphs[0].operators[0].outputs[0]"))
        ) {
            try load(tiny.bytes)
        }
    }

    @Test func subgraphOutputIndicesAreChecked() {
        var tiny = TinyModel()
        tiny.subgraphOutputs = [2, 4]
        #expect(
            throws: ModelError.tensorIndexOutOfRange(
                index: 4, count: 4, field: fieldPath("Model.subgraphs[0].outputs[1]"))
        ) {
            try load(tiny.bytes)
        }
    }

    @Test func opcodeIndexOutOfRange() {
        var tiny = TinyModel()
        tiny.opcodeIndex = 3
        #expect(
            throws: ModelError.operatorCodeIndexOutOfRange(
                index: 3, count: 3, field: fieldPath("Model.subgraphs[0].operators[0].opcode_index"))
        ) {
            try load(tiny.bytes)
        }
    }

    @Test func constantDataMustMatchTheShape() {
        var tiny = TinyModel()
        tiny.weightShape = [1, 2, 2, 2]
        #expect(
            throws: ModelError.dataSizeMismatch(
                expected: 8, actual: 4, field: fieldPath("Model.subgraphs[0].tensors[1]"))
        ) {
            try load(tiny.bytes)
        }
        tiny = TinyModel()
        tiny.biasShape = [3]
        #expect(
            throws: ModelError.dataSizeMismatch(
                expected: 12, actual: 8, field: fieldPath("Model.subgraphs[0].tensors[3]"))
        ) {
            try load(tiny.bytes)
        }
    }

    @Test func elementCountOverflowIsReported() {
        var tiny = TinyModel()
        tiny.weightShape = [Int32.max, Int32.max, Int32.max, 4]
        #expect(throws: ModelError.elementCountOverflow(field: fieldPath("Model.subgraphs[0].tensors[1].shape"))) {
            try load(tiny.bytes)
        }
    }

    @Test func quantizationCountsMustAgree() {
        var tiny = TinyModel()
        tiny.inputScale = [0.5, 0.25]
        tiny.inputZeroPoint = [0]
        let error = ModelError.quantizationCountMismatch(
            scales: 2, zeroPoints: 1, field: fieldPath("Model.subgraphs[0].tensors[0].quantization"))
        #expect(throws: error) { try load(tiny.bytes) }
    }

    @Test func externalDataOutsideTheFile() {
        var tiny = TinyModel()
        tiny.biasBufferFields = [1: .u64(UInt64.max - 2), 2: .u64(8)]
        #expect(
            throws: ModelError.dataOutOfBounds(
                offset: UInt64.max - 2, size: 8, field: fieldPath("Model.buffers[2].offset"))
        ) {
            try load(tiny.bytes)
        }
        // Same layout as above (only the value changes), so the file size is known: data that starts
        // 4 bytes before the end and runs 8 bytes long overhangs the end by 4.
        let size = UInt64(tiny.bytes.count)
        tiny.biasBufferFields = [1: .u64(size - 4), 2: .u64(8)]
        #expect(
            throws: ModelError.dataOutOfBounds(offset: size - 4, size: 8, field: fieldPath("Model.buffers[2].offset"))
        ) {
            try load(tiny.bytes)
        }
    }

    @Test func aliasedTablesCannotAmplifyMemory() {
        // 4,000 tensor offsets all pointing at one tensor whose shape has 4,000 dimensions: a 32 KB file
        // that would decode into 16 million Int32s.
        let tensor = FBValue.table([0: .ints([Int32](repeating: 1, count: 4000)), 1: .u8(9)])
        let subgraph = FBValue.table([0: .aliasedTableVector(count: 4000, tensor)])
        let model = FBValue.table([0: .u32(3), 2: .tables([subgraph]), 4: .tables([.table([:])])])
        let bytes = FlatBufferBuilder.file(model).bytes
        #expect(bytes.count < 40_000)
        #expect(throws: ModelError.self) { try load(bytes) }
        do {
            _ = try load(bytes)
        } catch {
            guard case .decodeLimitExceeded(let field) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(field.description.hasPrefix("Model.subgraphs[0].tensors["))
        }
    }

    @Test func everyErrorDescribesItselfInOneLine() {
        let errors: [ModelError] = [
            .truncated(offset: 0, needed: 8, field: .model),
            .badFileIdentifier(found: [0, 1, 2, 3]),
            .offsetOutOfBounds(offset: 4, target: 99, field: fieldPath("Model.subgraphs[0]")),
            .decodeLimitExceeded(field: fieldPath("Model.subgraphs[0].tensors[1].shape")),
            .tensorTypeMismatch(expected: .int32, actual: .int8, field: fieldPath("Model.subgraphs[0].tensors[1]")),
        ]
        for error in errors {
            #expect(!error.description.isEmpty)
            #expect(!error.description.contains("\n"))
        }
        #expect(errors[2].description == "Model.subgraphs[0]: offset at byte 4 points to 99, outside the file")
    }
}
