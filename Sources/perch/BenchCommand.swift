import ArgumentParser
import Foundation
import PerchInference
import PerchKernels
import PerchTFLite

/// `perch bench MODEL`: latency distribution, throughput, arena and RSS.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time repeated inferences on a seeded random input (single thread)."
    )

    @Argument(help: "The .tflite model.") var model: String
    @Option(help: "Timed inferences.") var iterations: Int = 100
    @Option(help: "Untimed inferences first.") var warmup: Int = 10
    @Flag(help: "Print JSON.") var json = false
    @Flag(help: "Use the reference kernels instead of the optimized ones.") var reference = false
    @Flag(
        inversion: .prefixedNo,
        help: "Let the optimized CONV_2D use the CPU's dot-product instruction (AVX-512 VNNI) when it has one.")
    var hardwareDotProduct = true
    @Option(help: "Raw bytes for input 0 (exactly its size); default: seeded random bytes.") var input: String?
    @Flag(help: "Also time each operator (as many passes again, one operator at a time) and print where the time goes.")
    var perOp = false

    func validate() throws {
        guard iterations > 0 else { throw ValidationError("--iterations must be > 0") }
        guard warmup >= 0 else { throw ValidationError("--warmup must be ≥ 0") }
    }

    func run() throws {
        let parsed = try loadModel(model)
        let interpreter: Interpreter
        do {
            interpreter = try Interpreter(
                model: parsed,
                options: InterpreterOptions(
                    kernels: reference ? .reference : .optimized, hardwareDotProduct: hardwareDotProduct))
        } catch {
            throw CLIError.interpreter(path: model, error)
        }
        var generator = SeededGenerator(seed: 0)
        for (position, tensor) in interpreter.inputs.enumerated() {
            var bytes = (0..<tensor.byteCount).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if position == 0, let input {
                bytes = try readFile(input)
            }
            do {
                try interpreter.setInput(position, rawBytes: bytes)
            } catch {
                throw CLIError.interpreter(path: input ?? model, error)
            }
        }
        for _ in 0..<warmup { interpreter.invoke() }
        var samples: [Double] = []
        samples.reserveCapacity(iterations)
        let clock = ContinuousClock()
        for _ in 0..<iterations {
            let start = clock.now
            interpreter.invoke()
            samples.append((clock.now - start).milliseconds)
        }
        samples.sort()
        let operators = perOp ? try operatorTimes(interpreter, model: parsed, clock: clock) : nil
        let report = BenchReport(
            model: model,
            kernels: reference ? "reference" : "optimized",
            instructions: reference ? nil : hardwareDotProduct ? HardwareDotProduct.name : "swift-simd",
            iterations: iterations,
            latency: .init(
                min: samples[0], median: percentile(samples, 0.5), p90: percentile(samples, 0.9),
                p99: percentile(samples, 0.99)
            ),
            inferencesPerSecond: 1000 / percentile(samples, 0.5),
            arenaBytes: interpreter.arenaByteCount,
            preparedWeightBytes: interpreter.preparedWeightByteCount,
            rssBytes: ProcessMemory.residentBytes() ?? 0,
            peakRSSBytes: ProcessMemory.peakResidentBytes() ?? 0,
            operators: operators
        )
        if json {
            printJSON(report)
        } else {
            print("model:        \(model) (\(report.kernels) kernels\(report.instructions.map { ", \($0)" } ?? ""))")
            print(
                String(
                    format: "latency ms:   min %.4f  median %.4f  p90 %.4f  p99 %.4f", report.latency.min,
                    report.latency.median, report.latency.p90, report.latency.p99))
            print(String(format: "throughput:   %.1f inferences/s (median)", report.inferencesPerSecond))
            print(
                "arena:        \(report.arenaBytes) bytes (+ \(report.preparedWeightBytes) bytes of prepared weights)")
            print("RSS:          \(report.rssBytes) bytes (peak \(report.peakRSSBytes))")
            if let operators { printOperatorTimes(operators) }
        }
    }

    /// Mean time of each operator over `iterations` passes that run the operators one at a time.
    private func operatorTimes(
        _ interpreter: Interpreter, model parsed: TFLiteModel, clock: ContinuousClock
    ) throws -> [BenchReport.OperatorTime] {
        let names: [String]
        do {
            names = try ModelSummary(model: parsed).operatorSequence
        } catch {
            throw CLIError.interpreter(path: model, error)
        }
        var totals = [Double](repeating: 0, count: interpreter.operatorCount)
        for _ in 0..<iterations {
            for index in 0..<interpreter.operatorCount {
                let start = clock.now
                interpreter.invokeOperator(at: index)
                totals[index] += (clock.now - start).milliseconds
            }
        }
        let sum = totals.reduce(0, +)
        return totals.enumerated().map { index, total in
            BenchReport.OperatorTime(
                index: index, name: index < names.count ? names[index] : "?", meanMs: total / Double(iterations),
                share: sum > 0 ? total / sum : 0)
        }
    }

    /// Prints the operators by type (total time and share), then the ten slowest operators.
    private func printOperatorTimes(_ operators: [BenchReport.OperatorTime]) {
        var byType: [String: (ms: Double, share: Double, count: Int)] = [:]
        for op in operators {
            let entry = byType[op.name, default: (0, 0, 0)]
            byType[op.name] = (entry.ms + op.meanMs, entry.share + op.share, entry.count + 1)
        }
        print("per operator type (mean ms per inference, share):")
        for (name, entry) in byType.sorted(by: { $0.value.ms > $1.value.ms }) {
            print(
                "  " + padded(name)
                    + String(format: " %3d × %9.4f ms  %5.1f%%", entry.count, entry.ms, entry.share * 100))
        }
        print("slowest operators:")
        for op in operators.sorted(by: { $0.meanMs > $1.meanMs }).prefix(10) {
            print(
                String(format: "  #%-4d ", op.index) + padded(op.name)
                    + String(format: " %9.4f ms  %5.1f%%", op.meanMs, op.share * 100))
        }
    }

    private func padded(_ name: String) -> String { name.padding(toLength: 22, withPad: " ", startingAt: 0) }

    private func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        let rank = Int((fraction * Double(sorted.count - 1)).rounded())
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }
}

/// The JSON document of `perch bench --json`.
struct BenchReport: Encodable {
    struct Latency: Encodable {
        var min: Double
        var median: Double
        var p90: Double
        var p99: Double
    }

    /// One operator's share of an inference (`--per-op`).
    struct OperatorTime: Encodable {
        var index: Int
        var name: String
        var meanMs: Double
        var share: Double

        enum CodingKeys: String, CodingKey {
            case index, name, share
            case meanMs = "mean_ms"
        }
    }

    var model: String
    var kernels: String
    /// The instructions the optimized CONV_2D uses (`avx512-vnni` or `swift-simd`); absent for the reference kernels.
    var instructions: String?
    var iterations: Int
    var latency: Latency
    var inferencesPerSecond: Double
    var arenaBytes: Int
    var preparedWeightBytes: Int
    var rssBytes: Int
    var peakRSSBytes: Int
    var operators: [OperatorTime]?

    enum CodingKeys: String, CodingKey {
        case model, kernels, instructions, iterations, operators
        case latency = "latency_ms"
        case inferencesPerSecond = "inferences_per_second"
        case arenaBytes = "arena_bytes"
        case preparedWeightBytes = "prepared_weight_bytes"
        case rssBytes = "rss_bytes"
        case peakRSSBytes = "peak_rss_bytes"
    }
}

/// SplitMix64: a small seeded generator so benchmark inputs are the same every run.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Reads the process's resident memory from `/proc/self/status`.
enum ProcessMemory {
    /// Current resident set size (`VmRSS`).
    static func residentBytes() -> Int? { field("VmRSS:") }
    /// Peak resident set size (`VmHWM`).
    static func peakResidentBytes() -> Int? { field("VmHWM:") }

    private static func field(_ name: String) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(name) {
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
            return kilobytes.map { $0 * 1024 }
        }
        return nil
    }
}
