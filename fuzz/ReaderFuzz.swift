// libFuzzer target for the PerchTFLite reader. Built by `fuzz/run.sh` together with the reader's
// sources (one module, so no import). Every input must either throw a `ModelError` or produce a model
// whose invariants hold; a trap, an ASan report or a failed `precondition` below is a bug.

/// Folds a value into the checksum so that the optimizer cannot drop any decoded field.
private func mix(_ hash: inout UInt64, _ value: UInt64) {
    hash = (hash ^ value) &* 0x100_0000_01b3
}

/// Reads every decoded field and checks the invariants the reader promises.
private func touch(_ model: TFLiteModel) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    mix(&hash, UInt64(model.schemaVersion))
    mix(&hash, UInt64(model.description?.utf8.count ?? 0))
    precondition(!model.subgraphs.isEmpty, "a loaded model has a subgraph")
    for code in model.operatorCodes {
        mix(&hash, UInt64(UInt32(bitPattern: code.builtin.rawValue)))
        mix(&hash, UInt64(code.builtin.description.utf8.count))
        mix(&hash, UInt64(UInt32(bitPattern: code.version)))
        mix(&hash, UInt64(code.customCode?.utf8.count ?? 0))
        precondition(code.builtin.rawValue >= 0, "builtin codes are non-negative")
    }
    for buffer in model.buffers {
        precondition(buffer.range.lowerBound >= 0 && buffer.range.upperBound <= model.bytes.count, "buffer in file")
        mix(&hash, UInt64(buffer.range.count))
    }
    for subgraph in model.subgraphs {
        let tensorCount = subgraph.tensors.count
        for index in subgraph.inputs + subgraph.outputs {
            precondition(index >= 0 && Int(index) < tensorCount, "subgraph tensor index in range")
        }
        for tensor in subgraph.tensors {
            mix(&hash, UInt64(tensor.name.utf8.count))
            mix(&hash, UInt64(UInt8(bitPattern: tensor.type.rawValue)))
            mix(&hash, UInt64(tensor.type.description.utf8.count))
            mix(&hash, UInt64(tensor.buffer))
            mix(&hash, tensor.isVariable ? 1 : 0)
            mix(&hash, UInt64(tensor.shapeSignature?.count ?? 0))
            for dimension in tensor.shape {
                precondition(dimension >= 0, "dimensions are non-negative")
                mix(&hash, UInt64(dimension))
            }
            precondition(Int(tensor.buffer) < model.buffers.count, "tensor buffer index in range")
            if let quantization = tensor.quantization {
                for scale in quantization.scale { mix(&hash, UInt64(scale.bitPattern)) }
                for zeroPoint in quantization.zeroPoint { mix(&hash, UInt64(bitPattern: zeroPoint)) }
                for value in quantization.min + quantization.max { mix(&hash, UInt64(value.bitPattern)) }
                mix(&hash, UInt64(UInt32(bitPattern: quantization.quantizedDimension)))
                mix(&hash, UInt64(quantization.channelAxis(rank: tensor.shape.count) ?? 99))
                precondition(
                    quantization.scale.isEmpty || quantization.zeroPoint.isEmpty
                        || quantization.scale.count == quantization.zeroPoint.count,
                    "quantization counts consistent"
                )
            }
            if let range = model.data(of: tensor) {
                precondition(range.upperBound <= model.bytes.count, "tensor data in file")
                if !tensor.isSparse, let size = tensor.type.byteSize, let count = tensor.elementCount {
                    precondition(range.count == count * size, "constant data size matches the shape")
                }
            }
            do {
                if tensor.type == .int32 {
                    for value in try model.int32Values(of: tensor) { mix(&hash, UInt64(UInt32(bitPattern: value))) }
                } else if tensor.type == .float32 {
                    for value in try model.float32Values(of: tensor) { mix(&hash, UInt64(value.bitPattern)) }
                }
            } catch {
                mix(&hash, UInt64(error.description.utf8.count))
            }
        }
        for op in subgraph.operators {
            precondition(model.operatorCode(of: op) != nil, "opcode index in range")
            for index in op.inputs { precondition(index == -1 || (index >= 0 && Int(index) < tensorCount), "input") }
            for index in op.outputs + op.intermediates {
                precondition(index >= 0 && Int(index) < tensorCount, "output")
            }
            mix(&hash, UInt64(op.options.unionType))
            if let range = op.customOptions {
                precondition(range.lowerBound >= 0 && range.upperBound <= model.bytes.count, "custom options in file")
            }
            switch op.options {
            case .conv2D(let o):
                mix(&hash, UInt64(UInt32(bitPattern: o.strideW &+ o.dilationH)) &+ UInt64(o.padding.rawValue))
            case .depthwiseConv2D(let o): mix(&hash, UInt64(UInt32(bitPattern: o.depthMultiplier &+ o.dilationW)))
            case .pool2D(let o): mix(&hash, UInt64(UInt32(bitPattern: o.filterWidth &+ o.filterHeight)))
            case .fullyConnected(let o): mix(&hash, UInt64(o.weightsFormat.rawValue) &+ (o.keepNumDims ? 1 : 0))
            case .add(let o): mix(&hash, UInt64(o.fusedActivation.rawValue) &+ (o.potScaleInt16 ? 1 : 0))
            case .mul(let o): mix(&hash, UInt64(o.fusedActivation.rawValue))
            case .concatenation(let o): mix(&hash, UInt64(UInt32(bitPattern: o.axis)))
            case .reshape(let o): mix(&hash, UInt64(o.newShape?.count ?? 0))
            case .softmax(let o): mix(&hash, UInt64(o.beta.bitPattern))
            case .leakyRelu(let o): mix(&hash, UInt64(o.alpha.bitPattern))
            case .resizeBilinear(let o): mix(&hash, (o.alignCorners ? 1 : 0) &+ (o.halfPixelCenters ? 2 : 0))
            case .reducer(let o): mix(&hash, o.keepDims ? 1 : 0)
            case .none, .other: break
            }
        }
    }
    return hash
}

/// Sink for the checksum, so the work is observable.
nonisolated(unsafe) private var checksum: UInt64 = 0

@_cdecl("LLVMFuzzerTestOneInput")
public func readerFuzzTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        let model = try TFLiteModel(bytes: bytes)
        checksum &+= touch(model)
    } catch {
        // Every error must describe itself in one line.
        checksum &+= UInt64(error.description.utf8.count)
    }
    return 0
}
