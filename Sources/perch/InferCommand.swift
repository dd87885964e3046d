import ArgumentParser
import Foundation
import PerchCapture
import PerchInference
import PerchTFLite

/// `perch infer MODEL --input FILE`: one inference, printing outputs, dequantized scores and top-k.
struct Infer: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one inference and print the output tensors.",
        discussion: """
            Each --input is an image (JPEG, PPM/PGM, BMP: decoded, center-cropped, resized and quantized \
            to the input tensor) or a file of raw tensor bytes (exactly the tensor's size), one per model \
            input in order. Images need the model's normalization: from --normalization or the sidecar \
            MODEL.json next to the model.
            """
    )

    @Argument(help: "The .tflite model.") var model: String
    @Option(name: .long, help: "Input file (raw tensor bytes); repeat for several inputs.") var input: [String] = []
    @Option(name: .long, help: "How many top classes to list per output.") var top: Int = 5
    @Option(help: "Image normalization: [0,255], [0,1], [-1,1] or imagenet (default: the model's sidecar).")
    var normalization: String?
    @Flag(help: "Print JSON.") var json = false
    @Flag(help: "Use the reference kernels instead of the optimized ones.") var reference = false
    @Option(help: "Also write every tensor's bytes to DIR/<tensor index>.bin (keeps all tensors alive).")
    var dumpTensors: String?

    func validate() throws {
        guard top >= 0 else { throw ValidationError("--top must be ≥ 0") }
        guard !input.isEmpty else { throw ValidationError("give the input with --input FILE") }
    }

    func run() throws {
        let interpreter = try loadInterpreter(
            model,
            options: InterpreterOptions(
                kernels: reference ? .reference : .optimized, preserveAllTensors: dumpTensors != nil))
        guard input.count == interpreter.inputs.count else {
            throw CLIError.badInput("the model has \(interpreter.inputs.count) input(s), got \(input.count) --input")
        }
        let sidecar = try ModelSidecar.load(forModel: model)
        for (position, path) in input.enumerated() {
            let tensor = interpreter.inputs[position]
            let bytes: [UInt8]
            if isImageFile(path) {
                // The sidecar's whole recipe (decode, crop, filter, table) unless --normalization overrides it:
                // the same preprocessing `perch eval` and the daemon use.
                let preprocessor: Preprocessor
                if normalization == nil, let sidecar, sidecar.input?.normalization != nil {
                    let (spec, options) = try sidecar.preprocessing(for: tensor, path: model)
                    preprocessor = Preprocessor(spec: spec, options: options)
                } else {
                    guard let normalization else {
                        throw CLIError.badInput(
                            "\(path): an image input needs --normalization (no sidecar next to the model says it)")
                    }
                    preprocessor = Preprocessor(spec: try inputSpec(for: tensor, normalization: normalization))
                }
                var values = [Int8](repeating: 0, count: tensor.elementCount)
                do {
                    try preprocessor.process(file: path, into: &values)
                } catch {
                    throw CLIError.badInput("\(error)")
                }
                bytes = values.map { UInt8(bitPattern: $0) }
            } else {
                bytes = try readFile(path)
            }
            guard bytes.count == tensor.byteCount else {
                throw CLIError.badInput(
                    "\(path): \(bytes.count) bytes, input \(position) (\(tensor.elementType) \(formatShape(tensor.shape))) needs \(tensor.byteCount)"
                )
            }
            do {
                try interpreter.setInput(position, rawBytes: bytes)
            } catch {
                throw CLIError.interpreter(path: path, error)
            }
        }
        let start = ContinuousClock.now
        interpreter.invoke()
        let elapsed = ContinuousClock.now - start
        if let dumpTensors { try dumpAllTensors(interpreter, to: dumpTensors) }
        let reports = interpreter.outputs.indices.map {
            OutputReport(interpreter, position: $0, top: top, labels: sidecar?.labels)
        }
        if json {
            printJSON(InferReport(model: model, latencyMilliseconds: elapsed.milliseconds, outputs: reports))
        } else {
            for report in reports { report.printHuman() }
            print(String(format: "latency: %.3f ms", elapsed.milliseconds))
        }
    }
}

/// Writes the raw bytes of every tensor that has storage to `directory/<index>.bin`.
private func dumpAllTensors(_ interpreter: Interpreter, to directory: String) throws {
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let count = interpreter.model.subgraphs.first?.tensors.count ?? 0
    for index in 0..<count {
        guard let data = interpreter.tensorData(index) else { continue }
        let bytes: [UInt8]
        switch data {
        case .int8(let values): bytes = values.map { UInt8(bitPattern: $0) }
        case .uint8(let values): bytes = values
        case .int32(let values): bytes = values.withUnsafeBytes { Array($0) }
        case .float32(let values): bytes = values.withUnsafeBytes { Array($0) }
        }
        try Data(bytes).write(to: URL(fileURLWithPath: directory).appendingPathComponent("\(index).bin"))
    }
}

/// The JSON document of `perch infer --json`.
struct InferReport: Encodable {
    var model: String
    var latencyMilliseconds: Double
    var outputs: [OutputReport]

    enum CodingKeys: String, CodingKey {
        case model
        case latencyMilliseconds = "latency_ms"
        case outputs
    }
}

/// One output tensor: raw values, dequantized values and the top-k classes.
struct OutputReport: Encodable {
    struct Ranked: Encodable {
        var index: Int
        var label: String?
        var score: Float
    }

    var position: Int
    var index: Int
    var name: String
    var shape: [Int]
    var type: String
    var scale: Float?
    var zeroPoint: Int32?
    var values: [Double]
    var dequantized: [Float]
    var top: [Ranked]

    enum CodingKeys: String, CodingKey {
        case position, index, name, shape, type, scale, values, dequantized, top
        case zeroPoint = "zero_point"
    }

    init(_ interpreter: Interpreter, position: Int, top count: Int, labels: [String]?) {
        let info = interpreter.outputs[position]
        self.position = position
        index = info.index
        name = info.name
        shape = info.shape
        type = info.elementType.description
        scale = info.scale
        zeroPoint = info.zeroPoint
        switch interpreter.output(position) {
        case .int8(let raw):
            values = raw.map { Double($0) }
            dequantized = raw.map { info.dequantize(Int32($0)) }
        case .uint8(let raw):
            values = raw.map { Double($0) }
            dequantized = raw.map { info.dequantize(Int32($0)) }
        case .int32(let raw):
            values = raw.map { Double($0) }
            dequantized = raw.map { info.dequantize($0) }
        case .float32(let raw):
            values = raw.map { Double($0) }
            dequantized = raw
        }
        let ranked = dequantized.enumerated().sorted {
            $0.element > $1.element || ($0.element == $1.element && $0.offset < $1.offset)
        }
        top = ranked.prefix(count).map { entry in
            let label = labels.flatMap { names in entry.offset < names.count ? names[entry.offset] : nil }
            return Ranked(index: entry.offset, label: label, score: entry.element)
        }
    }

    func printHuman() {
        let quantization = scale.map { String(format: " scale %g zero point %d", $0, zeroPoint ?? 0) } ?? ""
        print("output \(position): tensor \(index) '\(name)' \(type) \(formatShape(shape))\(quantization)")
        if values.count <= 16 {
            print("  values:      " + values.map { String(format: "%g", $0) }.joined(separator: " "))
            print("  dequantized: " + dequantized.map { String(format: "%.5f", $0) }.joined(separator: " "))
        }
        for (rank, entry) in top.enumerated() {
            let name = entry.label.map { " (\($0))" } ?? ""
            print(String(format: "  top %d: class %d%@ score %.5f", rank + 1, entry.index, name, entry.score))
        }
    }
}

extension Duration {
    /// The duration in milliseconds, as a `Double`.
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1e3 + Double(attoseconds) * 1e-15
    }
}
