import PerchKernels

// Dispatch of prepared operations to kernels. Spans are made from the tensor views for the length of
// one kernel call; the optimized kernels equal the reference kernels bit for bit, so `reference`
// changes speed only.

extension Operation {
    func run(_ views: TensorViews, reference: Bool) {
        switch self {
        case .conv2D(let p, let input, let filter, let output, _):
            views.unary(input, output) { input, output in
                let weights = views.buffer(filter, as: Int8.self)
                if reference {
                    conv2DReference(p, input: input, filter: Span(_unsafeElements: weights), output: &output)
                } else {
                    conv2DOptimized(p, input: input, filter: Span(_unsafeElements: weights), output: &output)
                }
            }
        case .depthwiseConv2D(let p, let input, let filter, let output):
            views.unary(input, output) { input, output in
                let weights = views.buffer(filter, as: Int8.self)
                if reference {
                    depthwiseConv2DReference(p, input: input, filter: Span(_unsafeElements: weights), output: &output)
                } else {
                    depthwiseConv2DOptimized(p, input: input, filter: Span(_unsafeElements: weights), output: &output)
                }
            }
        case .fullyConnected(let p, let input, let filter, let output):
            views.unary(input, output) { input, output in
                let weights = views.buffer(filter, as: Int8.self)
                if reference {
                    fullyConnectedReference(p, input: input, filter: Span(_unsafeElements: weights), output: &output)
                } else {
                    fullyConnectedOptimized(p, input: input, filter: Span(_unsafeElements: weights), output: &output)
                }
            }
        case .averagePool2D(let p, let input, let output):
            views.unary(input, output) { input, output in averagePool2DReference(p, input: input, output: &output) }
        case .maxPool2D(let p, let input, let output):
            views.unary(input, output) { input, output in maxPool2DReference(p, input: input, output: &output) }
        case .add(let p, let input1, let input2, let output):
            views.binary(input1, input2, output) { a, b, output in
                if reference {
                    addReference(p, input1: a, input2: b, output: &output)
                } else {
                    addOptimized(p, input1: a, input2: b, output: &output)
                }
            }
        case .mul(let p, let input1, let input2, let output):
            views.binary(input1, input2, output) { a, b, output in mulReference(p, input1: a, input2: b, output: &output) }
        case .softmax(let p, let input, let output):
            views.unary(input, output) { input, output in softmaxReference(p, input: input, output: &output) }
        case .logistic(let p, let input, let output):
            views.unary(input, output) { input, output in logisticReference(p, input: input, output: &output) }
        case .tanh(let p, let input, let output):
            views.unary(input, output) { input, output in tanhReference(p, input: input, output: &output) }
        case .hardSwish(let p, let input, let output):
            views.unary(input, output) { input, output in hardSwishReference(p, input: input, output: &output) }
        case .leakyRelu(let p, let input, let output):
            views.unary(input, output) { input, output in leakyReluReference(p, input: input, output: &output) }
        case .concatenation(let p, let inputs, let output):
            for (position, input) in inputs.enumerated() {
                views.unary(input, output) { input, output in
                    concatenationReference(p, input: input, inputIndex: position, output: &output)
                }
            }
        case .mean(let p, let input, let output):
            views.unary(input, output) { input, output in meanReference(p, input: input, output: &output) }
        case .pad(let p, let input, let output):
            views.unary(input, output) { input, output in
                if reference {
                    padReference(p, input: input, output: &output)
                } else {
                    padOptimized(p, input: input, output: &output)
                }
            }
        case .resizeBilinear(let p, let input, let output):
            views.unary(input, output) { input, output in resizeBilinearReference(p, input: input, output: &output) }
        case .transpose(let p, let input, let output):
            views.unary(input, output) { input, output in
                if reference {
                    transposeReference(p, input: input, output: &output)
                } else {
                    transposeOptimized(p, input: input, output: &output)
                }
            }
        case .spaceToBatchND(let p, let input, let output):
            views.unary(input, output) { input, output in spaceToBatchNDReference(p, input: input, output: &output) }
        case .batchToSpaceND(let p, let input, let output):
            views.unary(input, output) { input, output in batchToSpaceNDReference(p, input: input, output: &output) }
        case .quantize(let p, let input, let output):
            let source = views.buffer(input, as: Float.self)
            var destination = MutableSpan(_unsafeElements: views.mutableBuffer(output, as: Int8.self))
            quantizeReference(p, input: Span(_unsafeElements: source), output: &destination)
        case .requantize(let p, let input, let output):
            views.unary(input, output) { input, output in requantizeReference(p, input: input, output: &output) }
        case .dequantize(let p, let input, let output):
            let source = views.buffer(input, as: Int8.self)
            var destination = MutableSpan(_unsafeElements: views.mutableBuffer(output, as: Float.self))
            dequantizeReference(p, input: Span(_unsafeElements: source), output: &destination)
        case .copy(let input, let output):
            views.copy(input, to: output)
        }
    }
}
