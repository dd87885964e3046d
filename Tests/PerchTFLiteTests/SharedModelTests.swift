import PerchTFLite
import Testing

/// The real models in `../shared/models` load and match what their README documents.
///
/// Skipped (with this reason) when `../shared` is absent: the models are not part of the repository.
@Suite(.enabled(if: SharedModels.available, "../shared/models is absent: shared test models not available"))
struct SharedModelTests {
    /// Counts operators by schema name.
    private func opHistogram(_ model: TFLiteModel) -> [String: Int] {
        var counts: [String: Int] = [:]
        for op in model.subgraphs[0].operators {
            counts[model.operatorCode(of: op)!.builtin.description, default: 0] += 1
        }
        return counts
    }

    @Test func personDetectMatchesTheReadme() throws {
        let model = try TFLiteModel(bytes: try SharedModels.bytes("person_detect/person_detect.tflite"))
        #expect(model.schemaVersion == 3)
        #expect(model.description == "TOCO Converted.")
        let graph = model.subgraphs[0]
        #expect(graph.operators.count == 31)
        #expect(
            opHistogram(model) == [
                "DEPTHWISE_CONV_2D": 14, "CONV_2D": 14, "AVERAGE_POOL_2D": 1, "RESHAPE": 1, "SOFTMAX": 1,
            ])
        #expect(graph.tensors.count == 89)
        #expect(graph.inputs == [88])
        #expect(graph.outputs == [87])

        let input = graph.tensors[88]
        #expect(input.type == .int8)
        #expect(input.shape == [1, 96, 96, 1])
        let inputQuantization = try #require(input.quantization)
        #expect(abs(inputQuantization.scale[0] - 0.0078431377) < 1e-9)
        #expect(inputQuantization.zeroPoint == [-1])

        let output = graph.tensors[87]
        #expect(output.shape == [1, 2])
        #expect(output.quantization?.scale == [0.00390625])
        #expect(output.quantization?.zeroPoint == [-128])

        // Old TOCO: only the byte-wide deprecated_builtin_code is set.
        for code in model.operatorCodes {
            #expect(code.deprecatedBuiltinCode == Int8(code.builtin.rawValue))
        }
    }

    @Test func personDetectBiasesKeepQuantizedDimension3() throws {
        let model = try TFLiteModel(bytes: try SharedModels.bytes("person_detect/person_detect.tflite"))
        let graph = model.subgraphs[0]
        let biasIndices = [33, 36, 40, 44, 48, 52, 56, 60, 64, 68, 72, 76, 80, 84]
        for index in biasIndices {
            let bias = graph.tensors[index]
            #expect(bias.type == .int32)
            #expect(bias.shape.count == 1)
            let quantization = try #require(bias.quantization)
            #expect(quantization.quantizedDimension == 3)
            #expect(quantization.channelAxis(rank: 1) == 0)
            #expect(quantization.scale.count == Int(bias.shape[0]))
            #expect((8...256).contains(quantization.scale.count))
            #expect(try model.int32Values(of: bias).count == Int(bias.shape[0]))
        }
        #expect(graph.tensors[33].name == "MobilenetV1/MobilenetV1/Conv2d_0/Conv2D_bias")
    }

    @Test func personDetectOperatorsCarryTheirOptions() throws {
        let model = try TFLiteModel(bytes: try SharedModels.bytes("person_detect/person_detect.tflite"))
        for op in model.subgraphs[0].operators {
            switch model.operatorCode(of: op)!.builtin {
            case .conv2D:
                guard case .conv2D = op.options else { Issue.record("CONV_2D without Conv2DOptions"); continue }
            case .depthwiseConv2D:
                guard case .depthwiseConv2D = op.options else { Issue.record("DEPTHWISE_CONV_2D options"); continue }
            case .averagePool2D:
                guard case .pool2D = op.options else { Issue.record("AVERAGE_POOL_2D options"); continue }
            case .softmax:
                #expect(op.options == .softmax(SoftmaxOptions(beta: 1)))
            default:
                break
            }
            // Filters: per-channel int8 weights read in place.
            if case .conv2D = op.options {
                let filter = model.subgraphs[0].tensors[Int(op.inputs[1])]
                let range = try #require(model.data(of: filter))
                #expect(range.count == filter.elementCount)
                #expect(filter.quantization?.scale.count == Int(filter.shape[0]))
            }
        }
    }

    @Test func mobilenetV2MatchesTheReadme() throws {
        let model = try TFLiteModel(
            bytes: try SharedModels.bytes("mobilenet_v2/mobilenet_v2_quantized_1x3x224x224.tflite"))
        let graph = model.subgraphs[0]
        #expect(graph.operators.count == 84)
        #expect(
            opHistogram(model) == [
                "TRANSPOSE": 1, "PAD": 18, "CONV_2D": 35, "DEPTHWISE_CONV_2D": 17, "ADD": 10, "MEAN": 1,
                "RESHAPE": 1, "FULLY_CONNECTED": 1,
            ]
        )
        #expect(graph.inputs == [12])
        #expect(graph.outputs == [45])
        let input = graph.tensors[12]
        #expect(input.shape == [1, 3, 224, 224])
        #expect(input.quantization?.zeroPoint == [-14])
        #expect(abs((input.quantization?.scale[0] ?? 0) - 0.018631116) < 1e-9)
        let output = graph.tensors[45]
        #expect(output.shape == [1, 1000])
        #expect(output.quantization?.zeroPoint == [-24])
        #expect(graph.operators[0].options == .other(unionType: 26))  // TransposeOptions
        #expect(invariantViolations(model).isEmpty)
    }

    /// (model, operators in order, input shapes with zero points, output shape with zero point) from the README.
    static let singleOpExpectations: [(String, [String], [([Int32], Int64)], ([Int32], Int64))] = [
        ("add", ["CONV_2D", "ADD"], [([1, 8, 8, 8], 0), ([1, 8, 8, 8], -5)], ([1, 8, 8, 8], 0)),
        ("avgpool2x2", ["CONV_2D", "AVERAGE_POOL_2D"], [([1, 16, 16, 8], 1)], ([1, 8, 8, 8], -5)),
        ("avgpool3x3_s2_same", ["CONV_2D", "AVERAGE_POOL_2D"], [([1, 15, 15, 8], 5)], ([1, 8, 8, 8], -2)),
        ("conv1x1", ["CONV_2D"], [([1, 8, 8, 32], 0)], ([1, 8, 8, 64], 2)),
        ("conv3x3_dil2_static", ["CONV_2D"], [([1, 16, 16, 4], -4)], ([1, 16, 16, 8], -10)),
        ("conv3x3_s1_same_relu", ["CONV_2D"], [([1, 16, 16, 8], -2)], ([1, 16, 16, 16], -128)),
        ("conv3x3_s2_valid", ["CONV_2D"], [([1, 17, 17, 3], -2)], ([1, 8, 8, 8], -7)),
        ("conv5x5_s2_same_relu6", ["CONV_2D"], [([1, 15, 15, 4], 2)], ([1, 8, 8, 12], -128)),
        ("dw3x3_s1_same_relu6", ["DEPTHWISE_CONV_2D"], [([1, 16, 16, 16], -6)], ([1, 16, 16, 16], -128)),
        ("dw3x3_s2_same_mult2", ["DEPTHWISE_CONV_2D"], [([1, 15, 15, 8], 5)], ([1, 8, 8, 16], -10)),
        ("dw3x3_s2_valid", ["DEPTHWISE_CONV_2D"], [([1, 16, 16, 8], -2)], ([1, 7, 7, 8], -2)),
        ("fc_256_to_32_relu", ["FULLY_CONNECTED"], [([1, 256], 20)], ([1, 32], -128)),
        ("fc_64_to_10", ["FULLY_CONNECTED"], [([1, 64], -8)], ([1, 10], -22)),
        ("gap_fc_softmax", ["MEAN", "FULLY_CONNECTED", "SOFTMAX"], [([1, 8, 8, 16], 3)], ([1, 5], -128)),
        ("hard_swish_like", ["FULLY_CONNECTED", "HARD_SWISH"], [([1, 16], -3)], ([1, 16], -114)),
        ("leaky_relu", ["FULLY_CONNECTED", "LEAKY_RELU"], [([1, 32], 4)], ([1, 32], -107)),
        ("logistic", ["FULLY_CONNECTED", "LOGISTIC"], [([1, 32], 6)], ([1, 32], -128)),
        ("mul", ["MUL"], [([1, 8, 8, 8], -4), ([1, 8, 8, 8], 3)], ([1, 8, 8, 8], 36)),
        ("pad_conv", ["CONV_2D"], [([1, 10, 10, 3], -1)], ([1, 10, 10, 4], -3)),
        ("resize_bilinear", ["RESIZE_BILINEAR"], [([1, 8, 8, 4], -5)], ([1, 16, 16, 4], -5)),
        ("softmax_10", ["FULLY_CONNECTED", "SOFTMAX"], [([1, 10], 0)], ([1, 10], -128)),
        ("tanh", ["FULLY_CONNECTED", "TANH"], [([1, 32], 1)], ([1, 32], 0)),
    ]

    @Test(arguments: 0..<22)
    func singleOpModelMatchesTheReadme(_ index: Int) throws {
        let (name, ops, inputs, output) = Self.singleOpExpectations[index]
        let model = try TFLiteModel(bytes: try SharedModels.bytes("single_op/\(name).tflite"))
        let graph = model.subgraphs[0]
        #expect(graph.operators.map { model.operatorCode(of: $0)!.builtin.description } == ops, "\(name)")
        #expect(graph.inputs.count == inputs.count)
        for (position, (shape, zeroPoint)) in inputs.enumerated() {
            let tensor = graph.tensors[Int(graph.inputs[position])]
            #expect(tensor.type == .int8)
            #expect(tensor.shape == shape, "\(name) input \(position)")
            #expect(tensor.quantization?.zeroPoint == [zeroPoint], "\(name) input \(position)")
        }
        let outputTensor = graph.tensors[Int(graph.outputs[0])]
        #expect(outputTensor.shape == output.0, "\(name)")
        #expect(outputTensor.quantization?.zeroPoint == [output.1], "\(name)")
        #expect(invariantViolations(model).isEmpty)
        // Every int32 constant (the biases) decodes to one value per element.
        for tensor in graph.tensors where tensor.type == .int32 && model.data(of: tensor) != nil {
            #expect(try model.int32Values(of: tensor).count == tensor.elementCount)
        }
    }

    @Test func singleOpOptionsAreDecoded() throws {
        let dilated = try TFLiteModel(bytes: try SharedModels.bytes("single_op/conv3x3_dil2_static.tflite"))
        #expect(
            dilated.subgraphs[0].operators[0].options
                == .conv2D(Conv2DOptions(padding: .same, strideW: 1, strideH: 1, dilationW: 2, dilationH: 2)))
        let multiplier = try TFLiteModel(bytes: try SharedModels.bytes("single_op/dw3x3_s2_same_mult2.tflite"))
        guard case .depthwiseConv2D(let options) = multiplier.subgraphs[0].operators[0].options else {
            Issue.record("expected DepthwiseConv2DOptions")
            return
        }
        #expect(options.depthMultiplier == 2)
        #expect(options.strideW == 2)
        let leaky = try TFLiteModel(bytes: try SharedModels.bytes("single_op/leaky_relu.tflite"))
        #expect(leaky.subgraphs[0].operators[1].options == .leakyRelu(LeakyReluOptions(alpha: 0.1)))
        let resize = try TFLiteModel(bytes: try SharedModels.bytes("single_op/resize_bilinear.tflite"))
        #expect(
            resize.subgraphs[0].operators[0].options == .resizeBilinear(ResizeBilinearOptions(halfPixelCenters: true)))
        let pool = try TFLiteModel(bytes: try SharedModels.bytes("single_op/avgpool3x3_s2_same.tflite"))
        #expect(
            pool.subgraphs[0].operators[1].options
                == .pool2D(Pool2DOptions(padding: .same, strideW: 2, strideH: 2, filterWidth: 3, filterHeight: 3)))
    }
}
