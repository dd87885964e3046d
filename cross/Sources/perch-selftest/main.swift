// perch-selftest: the golden-vector conformance run as one Embedded Swift program, for qemu-user on ARM.
//
//   perch-selftest ROOT VECTORS...      (VECTORS relative to ROOT, e.g. conformance/add_relu.vectors.json)
//
// For every vectors file: load the model next to it, then for the reference and the optimized kernel set build
// an interpreter and run every case through PerchConformance's GoldenVectorCheck (tolerance zero). One line per
// model and kernel set, then a summary; the output depends only on the files, so runs on x86_64, aarch64 and
// armv7 must print identical text (cross/selftest.sh diffs them). Exit status 1 on any failure.
import CPerchLibc
import PerchConformance
import PerchInference
import PerchTFLite

/// Reads a whole file, or `nil` with the errno.
func readFile(_ path: String) -> (bytes: [UInt8]?, errno: Int32) {
    var pointer: UnsafeMutablePointer<UInt8>? = nil
    var count = 0
    let status = perch_read_file(path, &pointer, &count)
    guard status == 0, let pointer else { return (nil, status) }
    defer { perch_free(pointer) }
    return (Array(UnsafeBufferPointer(start: pointer, count: count)), 0)
}

/// FNV-1a over the bytes of every output tensor of the last invocation: shows whether two runs computed the
/// same thing even where no expected value exists.
struct OutputHash {
    private(set) var value: UInt32 = 2_166_136_261

    mutating func add(_ byte: UInt8) {
        value = (value ^ UInt32(byte)) &* 16_777_619
    }

    mutating func add(_ data: TensorData) {
        switch data {
        case .int8(let values): for v in values { add(UInt8(bitPattern: v)) }
        case .uint8(let values): for v in values { add(v) }
        case .int32(let values):
            for v in values {
                let bits = UInt32(bitPattern: v)
                for shift in stride(from: 0, to: 32, by: 8) { add(UInt8(truncatingIfNeeded: bits >> UInt32(shift))) }
            }
        case .float32(let values):
            for v in values {
                let bits = v.bitPattern
                for shift in stride(from: 0, to: 32, by: 8) { add(UInt8(truncatingIfNeeded: bits >> UInt32(shift))) }
            }
        }
    }

    var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}

/// The directory part of a relative path ("" for a bare name).
func directory(of path: String) -> String {
    let bytes = Array(path.utf8)
    guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")) else { return "" }
    return String(decoding: bytes[..<(slash + 1)], as: UTF8.self)
}

@main
struct SelfTest {
    static func main() {
        let argc = Int(perch_argc())
        guard argc >= 3, let rootPointer = perch_argv(1) else {
            print("usage: perch-selftest ROOT VECTORS...")
            perch_exit(2)
        }
        let root = String(cString: rootPointer)
        var models = 0
        var cases = 0
        var failures = 0
        for index in 3...argc {
            guard let pointer = perch_argv(Int32(index - 1)) else { break }
            let relative = String(cString: pointer)
            let outcome = check(root: root, relative: relative)
            models += 1
            cases += outcome.cases
            failures += outcome.failures
            perch_flush()  // a trap later would lose buffered lines
        }
        print("selftest: \(models) models, \(cases) cases x 2 kernel sets, \(failures) failures")
        perch_exit(failures == 0 ? 0 : 1)
    }

    /// Runs one vectors file through both kernel sets; prints one line each.
    static func check(root: String, relative: String) -> (cases: Int, failures: Int) {
        let (vectorBytes, vectorErrno) = readFile(root + "/" + relative)
        guard let vectorBytes else {
            print("FAIL \(relative): cannot read (errno \(vectorErrno))")
            return (0, 1)
        }
        let file: VectorFile
        do {
            file = try VectorFile(json: vectorBytes)
        } catch {
            print("FAIL \(relative): \(error.description)")
            return (0, 1)
        }
        let modelPath = root + "/" + directory(of: relative) + file.model
        let (modelBytes, modelErrno) = readFile(modelPath)
        guard let modelBytes else {
            print("FAIL \(relative): cannot read model \(file.model) (errno \(modelErrno))")
            return (file.cases.count, 1)
        }
        let model: TFLiteModel
        do {
            model = try TFLiteModel(bytes: modelBytes)
        } catch {
            print("FAIL \(relative): model does not load: \(error.description)")
            return (file.cases.count, 1)
        }
        var failures = 0
        for (label, kernels) in [("reference", InterpreterOptions.Kernels.reference), ("optimized", .optimized)] {
            let interpreter: Interpreter
            do {
                interpreter = try Interpreter(model: model, options: InterpreterOptions(kernels: kernels))
            } catch {
                print("FAIL \(relative) \(label): interpreter: \(error.description)")
                failures += 1
                continue
            }
            var passed = 0
            var firstFailure = ""
            var hash = OutputHash()
            for vectorCase in file.cases {
                let outcome = GoldenVectorCheck.run(vectorCase, on: interpreter)
                for position in 0..<interpreter.outputs.count { hash.add(interpreter.output(position)) }
                if let failure = outcome.failure {
                    if firstFailure.isEmpty { firstFailure = " first: \(vectorCase.name): \(failure.description)" }
                } else {
                    passed += 1
                }
            }
            let ok = passed == file.cases.count
            if !ok { failures += 1 }
            print(
                "\(ok ? "PASS" : "FAIL") \(relative) \(label) \(passed)/\(file.cases.count) outputs=\(hash.hex)\(firstFailure)"
            )
        }
        return (file.cases.count, failures)
    }
}
