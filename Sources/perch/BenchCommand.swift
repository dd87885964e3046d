import ArgumentParser
import Foundation
import PerchInference

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
    @Option(help: "Raw bytes for input 0 (exactly its size); default: seeded random bytes.") var input: String?

    func validate() throws {
        guard iterations > 0 else { throw ValidationError("--iterations must be > 0") }
        guard warmup >= 0 else { throw ValidationError("--warmup must be ≥ 0") }
    }

    func run() throws {
        let interpreter = try loadInterpreter(model, options: InterpreterOptions(kernels: reference ? .reference : .optimized))
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
        let report = BenchReport(
            model: model,
            kernels: reference ? "reference" : "optimized",
            iterations: iterations,
            latency: .init(
                min: samples[0], median: percentile(samples, 0.5), p90: percentile(samples, 0.9),
                p99: percentile(samples, 0.99)
            ),
            inferencesPerSecond: 1000 / percentile(samples, 0.5),
            arenaBytes: interpreter.arenaByteCount,
            rssBytes: ProcessMemory.residentBytes() ?? 0,
            peakRSSBytes: ProcessMemory.peakResidentBytes() ?? 0
        )
        if json {
            printJSON(report)
        } else {
            print("model:        \(model) (\(report.kernels) kernels)")
            print(String(format: "latency ms:   min %.4f  median %.4f  p90 %.4f  p99 %.4f", report.latency.min, report.latency.median, report.latency.p90, report.latency.p99))
            print(String(format: "throughput:   %.1f inferences/s (median)", report.inferencesPerSecond))
            print("arena:        \(report.arenaBytes) bytes")
            print("RSS:          \(report.rssBytes) bytes (peak \(report.peakRSSBytes))")
        }
    }

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

    var model: String
    var kernels: String
    var iterations: Int
    var latency: Latency
    var inferencesPerSecond: Double
    var arenaBytes: Int
    var rssBytes: Int
    var peakRSSBytes: Int

    enum CodingKeys: String, CodingKey {
        case model, kernels, iterations
        case latency = "latency_ms"
        case inferencesPerSecond = "inferences_per_second"
        case arenaBytes = "arena_bytes"
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
