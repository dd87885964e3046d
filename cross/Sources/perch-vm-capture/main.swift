// perch-vm-capture: camera → preprocessing → model, as one Embedded Swift program (cross/vm-capture.sh).
//
//   perch-vm-capture capture DEVICE FRAMES MODEL SIDECAR FRAMES_OUT
//       captures FRAMES frames of YUYV 640x480 from DEVICE (vivid, OSD text off), runs each through
//       PerchCapture's Preprocessor (the sidecar's recipe, as perchd does) and the model, prints one line per
//       frame and writes the raw frames, concatenated, to FRAMES_OUT (a file or a virtio serial port).
//   perch-vm-capture replay MODEL SIDECAR WIDTH HEIGHT BYTES_PER_LINE FRAMES_IN
//       the same pipeline on frames read back from a file; prints the same lines.
//   perch-vm-capture images MODEL SIDECAR JPEG...
//       the same pipeline on JPEG files (libjpeg decode through the CJPEG shim, as MJPEG frames take);
//       cross/selftest.sh runs it on models/cat/demo-frames under qemu-user and diffs with x86_64.
//
// Lines `frame N ...` depend only on the frame bytes, the model and the preprocessing: the aarch64 capture in
// the VM and an x86_64 replay of its frames must print identical lines.
import CPerchCapture
import CPerchLibc
import PerchCapture
import PerchConformance
import PerchInference
import PerchTFLite

/// Prints `message` and exits with status 1.
func fail(_ message: String) -> Never {
    print("error: \(message)")
    perch_exit(1)
}

/// Reads a whole file.
func readFile(_ path: String) -> [UInt8] {
    var pointer: UnsafeMutablePointer<UInt8>? = nil
    var count = 0
    let status = perch_read_file(path, &pointer, &count)
    guard status == 0, let pointer else { fail("cannot read \(path) (errno \(status))") }
    defer { perch_free(pointer) }
    return Array(UnsafeBufferPointer(start: pointer, count: count))
}

/// Argument `index` (0 = program name).
func argument(_ index: Int) -> String {
    guard let pointer = perch_argv(Int32(index)) else {
        fail("missing argument \(index); see the header of main.swift")
    }
    return String(cString: pointer)
}

/// FNV-1a, 32 bits, as 8 hex digits.
func fnv1a<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
    var hash: UInt32 = 2_166_136_261
    for byte in bytes { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
    let digits = String(hash, radix: 16)
    return String(repeating: "0", count: 8 - digits.count) + digits
}

/// A one-line reason for the preprocessing errors a frame can raise (CaptureError+Description is not built here).
func describe(_ error: CaptureError) -> String {
    switch error {
    case .jpeg(.corrupt(let message)): return "corrupt JPEG: \(message)"
    case .jpeg(.truncated): return "truncated JPEG"
    case .jpeg(.empty): return "empty JPEG"
    case .jpeg(.outOfMemory): return "libjpeg out of memory"
    case .shortFrame(let expected, let actual): return "short frame: \(actual) bytes, expected \(expected)"
    case .unsupportedPixelFormat(let format): return "unsupported pixel format \(format.fourCC)"
    default: return "capture error"
    }
}

/// The model, its interpreter and the preprocessor the sidecar describes.
struct Pipeline {
    let interpreter: Interpreter
    let preprocessor: Preprocessor
    let labels: [String]
    var tensor: [Int8] = []

    init(modelPath: String, sidecarPath: String) {
        let model: TFLiteModel
        do { model = try TFLiteModel(bytes: readFile(modelPath)) } catch { fail("model: \(error.description)") }
        do {
            interpreter = try Interpreter(model: model, options: InterpreterOptions(kernels: .optimized))
        } catch {
            fail("interpreter: \(error.description)")
        }
        let sidecar: JSONValue
        do { sidecar = try JSONParser.parse(readFile(sidecarPath)) } catch { fail("sidecar: \(error.description)") }
        guard let input = sidecar["input"], let normalizationText = input["normalization"]?.stringValue,
            let normalization = Normalization(parsing: normalizationText)
        else { fail("sidecar: input.normalization missing or unknown") }
        var labels: [String] = []
        for label in sidecar["labels"]?.arrayValue ?? [] { labels.append(label.stringValue ?? "?") }
        self.labels = labels

        // The same steps as PerchAgent's ModelPackage: the tensor gives shape and quantization, the sidecar
        // the normalization and the recipe (decode, crop, resize, table rounding).
        let tensorInfo = interpreter.inputs[0]
        guard let scale = tensorInfo.scale, let zeroPoint = tensorInfo.zeroPoint else {
            fail("input 0 is not quantized")
        }
        let recipe: PreprocessingRecipe
        do {
            let height = input["height"]?.integerValue
            recipe = try PreprocessingRecipe(
                decode: input["decode"]?.stringValue, crop: input["crop"]?.stringValue,
                resize: input["resize"]?.stringValue, quantizationTable: input["quantization_table"]?.stringValue,
                squareInput: height != nil && height == input["width"]?.integerValue)
        } catch {
            fail("sidecar: \(error.description)")
        }
        let spec: InputSpec
        do {
            spec = try InputSpec(
                int8TensorShape: tensorInfo.shape, scale: Double(scale), zeroPoint: Int(zeroPoint),
                normalization: normalization)
        } catch {
            fail("input 0 is not an image tensor")
        }
        preprocessor = Preprocessor(spec: recipe.applied(to: spec), options: recipe.options)
    }

    /// Preprocesses one frame, runs the model and prints the frame's line.
    mutating func run(index: Int, frame: Frame, bytes: [UInt8]) {
        do {
            try preprocessor.process(frame, bytes.span, into: &tensor)
        } catch {
            fail("frame \(index): preprocessing failed: \(describe(error))")
        }
        do { try interpreter.setInput(0, .int8(tensor)) } catch { fail("setInput: \(error.description)") }
        interpreter.invoke()
        guard case .int8(let scores) = interpreter.output(0) else { fail("output 0 is not int8") }
        var best = 0
        for i in scores.indices where scores[i] > scores[best] { best = i }
        var text = ""
        for (i, score) in scores.enumerated() { text += (i == 0 ? "" : ",") + String(score) }
        let label = best < labels.count ? labels[best] : String(best)
        let tensorBytes = tensor.map { UInt8(bitPattern: $0) }
        print(
            "frame \(index) \(frame.format.fourCC) \(frame.width)x\(frame.height) bytes=\(bytes.count) frame_fnv=\(fnv1a(bytes)) input_fnv=\(fnv1a(tensorBytes)) output=[\(text)] top=\(label)"
        )
        perch_flush()
    }
}

@main
struct VMCapture {
    static func main() {
        switch argument(1) {
        case "capture": capture()
        case "replay": replay()
        case "images": images()
        default: fail("usage: perch-vm-capture capture|replay ...")
        }
        perch_exit(0)
    }

    static func capture() {
        let device = argument(2)
        guard let count = Int(argument(3)), count > 0 else { fail("FRAMES must be a positive number") }
        var pipeline = Pipeline(modelPath: argument(4), sidecarPath: argument(5))
        let output = argument(6)
        var capture: OpaquePointer? = nil
        var granted = perch_capture_format()
        var step: UnsafePointer<CChar>? = nil
        let status = perch_capture_open(device, PixelFormat.yuyv.rawValue, 640, 480, 25, 1, &capture, &granted, &step)
        guard status == 0, let capture else {
            fail("\(device): \(step.map { String(cString: $0) } ?? "?") failed (errno \(status))")
        }
        let format = PixelFormat(rawValue: granted.fourcc)
        print(
            "device \(device) granted \(format.fourCC) \(granted.width)x\(granted.height) bytesperline=\(granted.bytes_per_line)"
        )
        var all: [UInt8] = []
        // Let vivid settle: the first frames after STREAMON may still carry the OSD text of before S_CTRL.
        let warmup = 2
        for index in 0..<(warmup + count) {
            var data: UnsafePointer<UInt8>? = nil
            var size = 0
            var sequence: UInt32 = 0
            let next = perch_capture_next(capture, &data, &size, &sequence)
            guard next == 0, let data else { fail("VIDIOC_DQBUF failed (errno \(next))") }
            if index < warmup { continue }
            let bytes = Array(UnsafeBufferPointer(start: data, count: size))
            all.append(contentsOf: bytes)
            let frame = Frame(
                format: format, width: Int(granted.width), height: Int(granted.height),
                bytesPerLine: Int(granted.bytes_per_line), sequence: UInt64(index - warmup), deviceSequence: sequence)
            pipeline.run(index: index - warmup, frame: frame, bytes: bytes)
        }
        perch_capture_close(capture)
        let written = all.withUnsafeBufferPointer { perch_write_file(output, $0.baseAddress, $0.count) }
        guard written == 0 else { fail("cannot write \(output) (errno \(written))") }
        print("wrote \(all.count) bytes of raw frames")
    }

    static func images() {
        var pipeline = Pipeline(modelPath: argument(2), sidecarPath: argument(3))
        let first = 4  // argv: program, "images", MODEL, SIDECAR, JPEG...
        var index = first
        while let pointer = perch_argv(Int32(index)) {
            let bytes = readFile(String(cString: pointer))
            // JPEG frames carry no size: the decoder reads it from the header.
            let frame = Frame(format: .jpeg, width: 0, height: 0, bytesPerLine: 0, sequence: UInt64(index - first))
            pipeline.run(index: index - first, frame: frame, bytes: bytes)
            index += 1
        }
    }

    static func replay() {
        var pipeline = Pipeline(modelPath: argument(2), sidecarPath: argument(3))
        guard let width = Int(argument(4)), let height = Int(argument(5)), let bytesPerLine = Int(argument(6)),
            width > 0, height > 0, bytesPerLine >= width * 2
        else { fail("WIDTH HEIGHT BYTES_PER_LINE must be positive numbers") }
        let all = readFile(argument(7))
        let size = bytesPerLine * height
        guard !all.isEmpty, all.count % size == 0 else { fail("\(all.count) bytes is not a whole number of frames") }
        for index in 0..<(all.count / size) {
            let bytes = Array(all[(index * size)..<((index + 1) * size)])
            let frame = Frame(
                format: .yuyv, width: width, height: height, bytesPerLine: bytesPerLine, sequence: UInt64(index))
            pipeline.run(index: index, frame: frame, bytes: bytes)
        }
    }
}
