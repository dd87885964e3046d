import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PerchWire

/// Simulated devices that enroll, then upload result batches to `POST /api/v1/device/results` as fast as the
/// server acknowledges them, each over its own keep-alive connection.
struct LoadGenerator: Sendable {
    /// The run's parameters.
    let configuration: LoadTestConfiguration
    /// The HTTP client (one connection per device).
    let http: HTTPClient

    /// A client whose pool allows one HTTP/1.1 connection per simulated device.
    static func makeClient(devices: Int) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(
            idleTimeout: .seconds(120), concurrentHTTP1ConnectionsPerHostSoftLimit: max(8, devices))
        configuration.timeout = .init(connect: .seconds(10), read: .seconds(120))
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// A failure that stops the run before the load phase.
    struct SetupError: Error, CustomStringConvertible {
        /// What went wrong.
        var description: String
    }

    // MARK: - Enrollment

    /// Enrolls `configuration.devices` devices, a few at a time.
    ///
    /// - Returns: Their ids and tokens.
    /// - Throws: ``SetupError`` if an enrollment fails.
    func enrollDevices(runId: String = String(UInt32.random(in: 0...UInt32.max), radix: 16)) async throws
        -> [EnrollResponse]
    {
        try await withThrowingTaskGroup(of: EnrollResponse.self) { group in
            var enrolled: [EnrollResponse] = []
            var next = 0
            func start(_ index: Int) {
                group.addTask {
                    try await enroll(hardwareId: "loadtest-\(runId)-\(index)")
                }
            }
            while next < min(configuration.enrollConcurrency, configuration.devices) {
                start(next)
                next += 1
            }
            while let device = try await group.next() {
                enrolled.append(device)
                if next < configuration.devices {
                    start(next)
                    next += 1
                }
            }
            return enrolled
        }
    }

    private func enroll(hardwareId: String) async throws -> EnrollResponse {
        var request = HTTPClientRequest(url: configuration.server + "/api/v1/enroll")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        let body = EnrollRequest(
            enrollmentSecret: configuration.enrollmentSecret, hardwareId: hardwareId, board: "loadtest",
            group: "loadtest")
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
        let response: HTTPClientResponse
        let bytes: ByteBuffer
        do {
            response = try await http.execute(request, timeout: .seconds(30))
            bytes = try await response.body.collect(upTo: 1 << 20)
        } catch {
            throw SetupError(description: "cannot enroll at \(configuration.server): \(error)")
        }
        guard response.status == .created else {
            throw SetupError(
                description: "enrollment answered \(response.status.code): "
                    + String(decoding: bytes.readableBytesView, as: UTF8.self))
        }
        return try JSONDecoder().decode(EnrollResponse.self, from: Data(bytes.readableBytesView))
    }

    // MARK: - Load

    /// What one device measured.
    private struct DeviceTally: Sendable {
        var latencies: [Double] = []
        var accepted = 0
        var duplicates = 0
        var failures: [String: Int] = [:]
    }

    /// Every device uploads batches back to back for warm-up plus duration; only requests that complete inside
    /// the measured window count.
    ///
    /// - Parameter devices: Enrolled devices (from ``enrollDevices(runId:)``).
    /// - Returns: The measurements.
    func run(devices: [EnrollResponse]) async -> LoadTestReport {
        let clock = ContinuousClock()
        let measureStart = clock.now + .milliseconds(Int64(configuration.warmup * 1000))
        let end = measureStart + .milliseconds(Int64(configuration.duration * 1000))
        let tallies = await withTaskGroup(of: DeviceTally.self) { group in
            for device in devices {
                group.addTask { await upload(as: device, measureStart: measureStart, end: end) }
            }
            var all: [DeviceTally] = []
            for await tally in group { all.append(tally) }
            return all
        }
        var failures: [String: Int] = [:]
        for tally in tallies { failures.merge(tally.failures, uniquingKeysWith: +) }
        let latencies = tallies.flatMap(\.latencies)
        let accepted = tallies.reduce(0) { $0 + $1.accepted }
        return LoadTestReport(
            devices: devices.count, batchSize: configuration.batchSize, durationSeconds: configuration.duration,
            requests: latencies.count, failedRequests: failures.values.reduce(0, +), acceptedResults: accepted,
            duplicateResults: tallies.reduce(0) { $0 + $1.duplicates },
            resultsPerSecond: Double(accepted) / configuration.duration,
            requestsPerSecond: Double(latencies.count) / configuration.duration, latency: LatencySummary(latencies),
            failures: failures, serverPeakRSSBytes: nil, serverRSSBytes: nil)
    }

    private func upload(
        as device: EnrollResponse, measureStart: ContinuousClock.Instant, end: ContinuousClock.Instant
    ) async -> DeviceTally {
        let clock = ContinuousClock()
        var tally = DeviceTally()
        var seq: Int64 = 1
        var batches = 0
        while clock.now < end, batches < configuration.maxBatchesPerDevice ?? .max {
            batches += 1
            var request = HTTPClientRequest(url: configuration.server + "/api/v1/device/results")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(device.token)")
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(Self.batchBody(firstSeq: seq, count: configuration.batchSize))
            seq += Int64(configuration.batchSize)
            let sent = clock.now
            let outcome: Result<ResultBatchResponse, UploadFailure>
            do {
                let response = try await http.execute(request, timeout: .seconds(120))
                let body = try await response.body.collect(upTo: 1 << 20)
                if response.status == .ok,
                    let ack = try? JSONDecoder().decode(ResultBatchResponse.self, from: Data(body.readableBytesView))
                {
                    outcome = .success(ack)
                } else {
                    outcome = .failure(UploadFailure(key: "http \(response.status.code)"))
                }
            } catch {
                outcome = .failure(UploadFailure(key: "transport"))
            }
            let done = clock.now
            guard done >= measureStart, done <= end else { continue }
            switch outcome {
            case .success(let ack):
                let elapsed = done - sent
                tally.latencies.append(
                    Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
                tally.accepted += ack.accepted
                tally.duplicates += ack.duplicates
            case .failure(let failure):
                tally.failures[failure.key, default: 0] += 1
            }
        }
        return tally
    }

    private struct UploadFailure: Error {
        var key: String
    }

    /// The labels the simulated devices report, in turn.
    static let labels = ["cat", "dog", "person", "empty"]

    /// A `ResultBatch` JSON body of `count` records from `firstSeq`, written directly (the generator shares the
    /// CPU with the server, so it should not spend it in `JSONEncoder`); a test checks it decodes.
    static func batchBody(firstSeq: Int64, count: Int, nowMs: Int64 = Int64(Date().timeIntervalSince1970 * 1000))
        -> ByteBuffer
    {
        var text = #"{"results":["#
        text.reserveCapacity(count * 190 + 16)
        for index in 0..<count {
            let seq = firstSeq + Int64(index)
            if index > 0 { text += "," }
            text += #"{"seq":"# + String(seq) + #","capturedAtMs":"# + String(nowMs - Int64(count - index) * 250)
            text += #","monotonicNs":"# + String(seq * 250_000_000)
            text += #","kind":"result","modelName":"person_detect","modelVersion":"1.0.0","label":""#
            text += labels[Int(seq % Int64(labels.count))]
            text += #"","score":0.8"# + String(seq % 10) + #","latencyMs":12.5,"throttled":false}"#
        }
        text += "]}"
        return ByteBuffer(string: text)
    }
}

/// The outcome of a load-test run.
struct LoadTestReport: Codable, Sendable {
    /// Simulated devices.
    var devices: Int
    /// Results per batch.
    var batchSize: Int
    /// Measured seconds.
    var durationSeconds: Double
    /// Acknowledged requests completed in the window.
    var requests: Int
    /// Requests that failed (non-200 or transport) in the window.
    var failedRequests: Int
    /// Results the server newly stored, per its acknowledgements.
    var acceptedResults: Int
    /// Results the server reported as duplicates (should be 0).
    var duplicateResults: Int
    /// Accepted results per second.
    var resultsPerSecond: Double
    /// Acknowledged requests per second.
    var requestsPerSecond: Double
    /// Request latency percentiles.
    var latency: LatencySummary
    /// Failures by kind (`http 503`, `transport`).
    var failures: [String: Int]
    /// The server's peak resident set size (VmHWM), if its pid was given.
    var serverPeakRSSBytes: Int64?
    /// The server's resident set size at the end, if its pid was given.
    var serverRSSBytes: Int64?

    /// The human report.
    func text() -> String {
        func ms(_ seconds: Double) -> String { String(format: "%.1f ms", seconds * 1000) }
        func mib(_ bytes: Int64) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
        var lines = [
            "devices            \(devices) (batch \(batchSize) results, \(String(format: "%.0f", durationSeconds)) s measured)",
            "requests           \(requests) ok, \(failedRequests) failed"
                + (failures.isEmpty
                    ? ""
                    : " ("
                        + failures.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
                        + ")"),
            "accepted results   \(acceptedResults) (\(duplicateResults) duplicates)",
            "results/s          " + String(format: "%.0f", resultsPerSecond),
            "requests/s         " + String(format: "%.0f", requestsPerSecond),
            "latency            p50 \(ms(latency.p50)), p99 \(ms(latency.p99)), max \(ms(latency.max))",
        ]
        if let serverPeakRSSBytes, let serverRSSBytes {
            lines.append(
                "server RSS         peak \(mib(serverPeakRSSBytes)) (VmHWM), \(mib(serverRSSBytes)) at the end")
        }
        return lines.joined(separator: "\n")
    }
}
