// A tiny hand-built model (one ADD), with knobs to break exactly one thing at a time.

/// Describes a small valid model; change one property to make it invalid in a known way.
struct TinyModel {
    var version: UInt32 = 3
    var identifier = "TFL3"
    var inputShape: [Int32] = [1, 2, 2, 1]
    var inputShapeClaimedCount: UInt32? = nil
    var inputType: UInt8 = 9  // INT8
    var inputName: [UInt8] = Array("input".utf8)
    var inputScale: [Float] = [0.5]
    var inputZeroPoint: [Int64] = [-1]
    var weightShape: [Int32] = [1, 2, 2, 1]
    var weightBuffer: UInt32 = 1
    var operatorInputs: [Int32] = [0, 1, -1]
    var operatorOutputs: [Int32] = [2]
    var subgraphOutputs: [Int32] = [2]
    var opcodeIndex: UInt32 = 0
    var optionsType: UInt8 = 11  // AddOptions
    var options: FBValue? = .table([0: .i8(1)], label: "options")  // fused RELU
    var includeSubgraphs = true
    var includeBuffers = true
    /// Replaces the fields of `buffers[2]` (the bias data) when set.
    var biasBufferFields: [Int: FBValue]? = nil
    var biasShape: [Int32] = [2]
    var biasType: UInt8 = 2  // INT32

    /// The weight bytes stored in buffer 1.
    static let weightBytes: [UInt8] = [1, 2, 0xFD, 0x7F]
    /// The bias values stored in buffer 2.
    static let biasValues: [Int32] = [7, -9]

    func build() -> FlatBufferBuilder {
        let quantization = FBValue.table(
            [0: .floats([-1, 1]), 1: .floats([-1, 1]), 2: .floats(inputScale), 3: .longs(inputZeroPoint)],
            label: "t0.quantization")
        let input = FBValue.table(
            [
                0: .ints(inputShape, label: "t0.shape", claimedCount: inputShapeClaimedCount),
                1: .u8(inputType),
                3: .string(inputName, label: "t0.name"),
                4: quantization,
            ],
            label: "t0"
        )
        let weights = FBValue.table(
            [0: .ints(weightShape), 1: .u8(9), 2: .u32(weightBuffer), 3: .str("weights")], label: "t1")
        let output = FBValue.table(
            [0: .ints([1, 2, 2, 1]), 1: .u8(9), 3: .str("output"), 4: .table([2: .floats([0.25]), 3: .longs([3])])],
            label: "t2"
        )
        let bias = FBValue.table(
            [
                0: .ints(biasShape), 1: .u8(biasType), 2: .u32(2), 3: .str("bias"),
                4: .table([2: .floats([0.25, 0.5]), 3: .longs([0, 0]), 6: .i32(3)]),
            ],
            label: "t3"
        )
        var operatorFields: [Int: FBValue] = [
            0: .u32(opcodeIndex), 1: .ints(operatorInputs), 2: .ints(operatorOutputs), 3: .u8(optionsType),
        ]
        if let options { operatorFields[4] = options }
        let subgraph = FBValue.table(
            [
                0: .tableVector([input, weights, output, bias], label: "tensors"),
                1: .ints([0]),
                2: .ints(subgraphOutputs, label: "subgraph.outputs"),
                3: .tables([.table(operatorFields, label: "op0")]),
                4: .str("main"),
            ],
            label: "subgraph0"
        )
        let biasData = Self.biasValues.flatMap { le(UInt32(bitPattern: $0)) }
        let buffers = FBValue.tables([
            .table([:]),
            .table([0: .bytes(Self.weightBytes)], label: "buffer1"),
            .table(biasBufferFields ?? [0: .bytes(biasData)], label: "buffer2"),
        ])
        var model: [Int: FBValue] = [
            0: .u32(version),
            1: .tables([
                .table([0: .i8(0)], label: "opcode0"),  // ADD, schema v3 style: deprecated code only
                .table([0: .i8(127), 2: .i32(2), 3: .i32(150)]),  // GELU v2, needs the int32 code
                .table([0: .i8(32), 1: .str("MyCustomOp")]),
            ]),
            3: .str("tiny test model"),
        ]
        if includeSubgraphs { model[2] = .tables([subgraph]) }
        if includeBuffers { model[4] = buffers }
        return FlatBufferBuilder.file(.table(model, label: "model"), identifier: identifier)
    }

    var bytes: [UInt8] { build().bytes }
}
