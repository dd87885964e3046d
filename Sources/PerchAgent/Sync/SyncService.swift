import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import PerchWire
import ServiceLifecycle
import Synchronization

/// Uploads the journal to `perch-server`: enroll once, batches in sequence order, prune on the server's reply.
///
/// A batch is deleted locally only after the server's reply names the highest sequence it stored, and the
/// server deduplicates on (device, seq), so a batch whose reply was lost is simply sent again: nothing is
/// lost or stored twice. Failures back off exponentially with full jitter. Heartbeats go out on their own
/// interval.
public final class SyncService: Service, Sendable {
    /// Counters for `/metrics`.
    public struct Status: Sendable, Equatable {
        /// The device id once enrolled.
        public var deviceId: String?
        /// Batches the server accepted.
        public var batchesUploaded: Int64 = 0
        /// Results the server newly stored.
        public var resultsAccepted: Int64 = 0
        /// Failed requests.
        public var failures: Int64 = 0
        /// Heartbeats sent.
        public var heartbeats: Int64 = 0
        /// The last error, if the last attempt failed.
        public var lastError: String?
    }

    let configuration: AgentConfiguration
    let journal: Journal
    let client: HTTPClient
    let logger: Logger
    let heartbeatProvider: @Sendable () -> Heartbeat
    let state = Mutex(Status())
    /// The batch size in use: `sync.batch_size`, halved on each 413 until the server accepts it.
    let batchLimit: Mutex<Int>

    /// Creates the service.
    ///
    /// - Parameters:
    ///   - configuration: `sync` settings and the state directory.
    ///   - journal: The journal to drain.
    ///   - client: The HTTP client (its TLS settings carry `sync.ca_file`).
    ///   - logger: The daemon's logger.
    ///   - heartbeat: Builds the current heartbeat.
    public init(
        configuration: AgentConfiguration, journal: Journal, client: HTTPClient, logger: Logger,
        heartbeat: @escaping @Sendable () -> Heartbeat
    ) {
        self.configuration = configuration
        self.journal = journal
        self.client = client
        self.logger = logger
        self.heartbeatProvider = heartbeat
        self.batchLimit = Mutex(configuration.sync.batchSize)
    }

    /// The HTTP client configuration for a daemon configuration (`sync.ca_file`, timeouts).
    public static func clientConfiguration(_ configuration: AgentConfiguration) -> HTTPClient.Configuration {
        var client = HTTPClient.Configuration()
        if !configuration.sync.caFile.isEmpty {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .file(configuration.sync.caFile)
            client.tlsConfiguration = tls
        }
        client.timeout = .init(
            connect: .milliseconds(Int64(configuration.sync.requestTimeoutMs)),
            read: .milliseconds(Int64(configuration.sync.requestTimeoutMs)))
        return client
    }

    /// The counters.
    public var status: Status { state.withLock { $0 } }

    var base: String { configuration.sync.serverURL }
    var timeout: TimeAmount { .milliseconds(Int64(configuration.sync.requestTimeoutMs)) }

    /// Enrolls if needed, then uploads and sends heartbeats until graceful shutdown.
    public func run() async throws {
        var generator = SystemRandomNumberGenerator()
        var backoff = SyncBackoff(
            initial: .milliseconds(configuration.sync.backoffInitialMs),
            maximum: .milliseconds(configuration.sync.backoffMaxMs))
        var credentials: DeviceCredentials?
        while credentials == nil && !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                credentials = try await enrolledCredentials()
                backoff.reset()
            } catch {
                recordFailure(error)
                await gracefulSleep(for: backoff.nextDelay(using: &generator))
            }
        }
        guard let enrolled = credentials else { return }
        state.withLock { $0.deviceId = enrolled.deviceId }
        let initialBackoff = backoff
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.heartbeatLoop(enrolled) }
            group.addTask { await self.uploadLoop(enrolled, backoff: initialBackoff) }
            await group.waitForAll()
        }
    }

    func uploadLoop(_ credentials: DeviceCredentials, backoff initialBackoff: SyncBackoff) async {
        var generator = SystemRandomNumberGenerator()
        var backoff = initialBackoff
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let uploaded = try await uploadOnce(credentials)
                backoff.reset()
                if uploaded == 0 {
                    await gracefulSleep(for: .milliseconds(configuration.sync.intervalMs))
                }
            } catch {
                recordFailure(error)
                await gracefulSleep(for: backoff.nextDelay(using: &generator))
            }
        }
    }

    func heartbeatLoop(_ credentials: DeviceCredentials) async {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                _ = try await send(
                    "/api/v1/device/heartbeat", body: heartbeatProvider(), token: credentials.token,
                    expecting: HeartbeatResponse.self)
                state.withLock { $0.heartbeats += 1 }
            } catch {
                recordFailure(error)
            }
            await gracefulSleep(for: .seconds(configuration.sync.heartbeatIntervalS))
        }
    }

    /// Uploads the oldest committed batch, if any, and prunes what the server stored.
    ///
    /// - Returns: The number of records sent.
    /// - Throws: ``AgentError/sync(_:)`` or a transport error.
    public func uploadOnce(_ credentials: DeviceCredentials) async throws -> Int {
        let limit = batchLimit.withLock { $0 }
        let batch = try journal.unacknowledged(limit: limit)
        guard !batch.isEmpty else { return 0 }
        let reply: ResultBatchResponse
        do {
            reply = try await send(
                "/api/v1/device/results", body: ResultBatch(results: batch), token: credentials.token,
                expecting: ResultBatchResponse.self)
        } catch AgentError.http(let path, 413) {
            // The server's batch or body limit is smaller than ours: halve until it fits.
            let smaller = max(1, batch.count / 2)
            batchLimit.withLock { $0 = smaller }
            logger.info("Batch too large, halving", metadata: ["sync.batch_size": "\(smaller)"])
            throw AgentError.http(path: path, status: 413)
        }
        try journal.acknowledge(batch: batch.map(\.seq), highestStoredSeq: reply.highestSeq)
        state.withLock {
            $0.batchesUploaded += 1
            $0.resultsAccepted += Int64(reply.accepted)
            $0.lastError = nil
        }
        logger.debug(
            "Batch uploaded",
            metadata: ["sync.accepted": "\(reply.accepted)", "sync.duplicates": "\(reply.duplicates)"])
        return batch.count
    }

    /// The stored credentials, enrolling first when there are none.
    ///
    /// - Throws: ``AgentError/sync(_:)`` or a transport error.
    public func enrolledCredentials() async throws -> DeviceCredentials {
        let directory = configuration.device.stateDirectory
        if let stored = try DeviceCredentials.load(stateDirectory: directory) { return stored }
        let secretPath = configuration.sync.enrollmentSecretFile
        guard let data = FileManager.default.contents(atPath: secretPath),
            let secret = String(bytes: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
            !secret.isEmpty
        else { throw AgentError.sync("cannot read the enrollment secret from \(secretPath)") }
        let request = EnrollRequest(
            enrollmentSecret: secret, hardwareId: Self.hardwareId(configuration), board: configuration.device.board,
            group: configuration.device.group.isEmpty ? nil : configuration.device.group)
        let reply = try await send("/api/v1/enroll", body: request, token: nil, expecting: EnrollResponse.self)
        let credentials = DeviceCredentials(deviceId: reply.deviceId, token: reply.token)
        try credentials.save(stateDirectory: directory)
        logger.info("Device enrolled", metadata: ["device.id": "\(reply.deviceId)"])
        return credentials
    }

    static func hardwareId(_ configuration: AgentConfiguration) -> String {
        if !configuration.device.hardwareId.isEmpty { return configuration.device.hardwareId }
        let machineId = FileManager.default.contents(atPath: "/etc/machine-id").flatMap {
            String(bytes: $0, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return machineId.flatMap { $0.isEmpty ? nil : $0 } ?? "unknown-\(configuration.device.board)"
    }

    func send<Body: Encodable, Reply: Decodable>(
        _ path: String, body: Body, token: String?, expecting: Reply.Type
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: base + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
        let response = try await client.execute(request, timeout: timeout)
        let bytes = try await response.body.collect(upTo: 16 * 1024 * 1024)
        guard (200..<300).contains(response.status.code) else {
            throw AgentError.http(path: path, status: Int(response.status.code))
        }
        return try JSONDecoder().decode(Reply.self, from: Data(bytes.readableBytesView))
    }

    func recordFailure(_ error: any Error) {
        state.withLock {
            $0.failures += 1
            $0.lastError = "\(error)"
        }
        logger.debug("Sync attempt failed", metadata: ["error": "\(error)"])
    }
}
