import ArgumentParser
import AsyncHTTPClient
import Foundation

/// `perch-loadtest`: N simulated devices upload result batches to a running `perch-server` for a bounded time;
/// prints accepted results/s, p50/p99 request latency and (with `--server-pid`) the server's peak RSS.
@main
struct LoadTest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perch-loadtest",
        abstract: "Load-test perch-server's result ingestion with simulated devices over HTTP.",
        discussion:
            "scripts/bench/server-load.sh builds in release mode, starts a server on a temp directory and runs this.")

    @Option(help: "Server URL.") var server = "http://127.0.0.1:8080"
    @Option(help: "File holding the enrollment secret (else $PERCH_ENROLLMENT_SECRET).") var enrollmentSecretFile:
        String?
    @Option(help: "Simulated devices.") var devices = 500
    @Option(help: "Results per batch.") var batch = 100
    @Option(help: "Seconds of measured load.") var duration: Double = 10
    @Option(help: "Seconds of load before measuring.") var warmup: Double = 2
    @Option(help: "Stop each device after this many batches.") var maxBatches: Int?
    @Option(help: "The server's process id: report its peak RSS from /proc/PID/status.") var serverPid: Int32?
    @Flag(help: "Print the report as JSON.") var json = false

    func validate() throws {
        guard devices >= 1 else { throw ValidationError("--devices must be at least 1") }
        guard (1...5000).contains(batch) else { throw ValidationError("--batch must be 1…5000 (the server's limit)") }
        guard duration > 0, warmup >= 0 else {
            throw ValidationError("--duration must be positive, --warmup not negative")
        }
    }

    func run() async throws {
        let secret: String
        if let enrollmentSecretFile {
            guard let text = try? String(contentsOfFile: enrollmentSecretFile, encoding: .utf8) else {
                throw ValidationError("cannot read \(enrollmentSecretFile)")
            }
            secret = text.trimmingCharacters(in: .whitespacesAndNewlines)
        } else if let value = ProcessInfo.processInfo.environment["PERCH_ENROLLMENT_SECRET"], !value.isEmpty {
            secret = value
        } else {
            throw ValidationError("give --enrollment-secret-file or set PERCH_ENROLLMENT_SECRET")
        }
        var configuration = LoadTestConfiguration(
            server: server.hasSuffix("/") ? String(server.dropLast()) : server, enrollmentSecret: secret)
        configuration.devices = devices
        configuration.batchSize = batch
        configuration.duration = duration
        configuration.warmup = warmup
        configuration.maxBatchesPerDevice = maxBatches
        let http = LoadGenerator.makeClient(devices: devices)
        let generator = LoadGenerator(configuration: configuration, http: http)
        let report: LoadTestReport
        do {
            FileHandle.standardError.write(Data("enrolling \(devices) devices…\n".utf8))
            let enrolled = try await generator.enrollDevices()
            FileHandle.standardError.write(
                Data(
                    "uploading for \(String(format: "%.0f", warmup)) s warm-up + \(String(format: "%.0f", duration)) s…\n"
                        .utf8))
            var measured = await generator.run(devices: enrolled)
            if let serverPid, let memory = ProcessMemory.residentBytes(pid: serverPid) {
                measured.serverPeakRSSBytes = memory.peak
                measured.serverRSSBytes = memory.current
            }
            report = measured
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(report.text())
        }
    }
}
