import Crypto
import Foundation
import Logging
import PerchAgent
import PerchServer

/// The two halves of the demo, in one process: a fleet server on loopback and a device daemon enrolled with it.
struct DemoFleet: Sendable {
    /// The in-process `perch-server`.
    let server: FleetServer
    /// The in-process `perchd`.
    let agent: Agent
    /// The admin token the narrator uses (random per run, never written out).
    let adminToken: String

    /// Creates the server's data folder and database, and a daemon configured to enroll with it.
    ///
    /// - Throws: A server, journal or configuration error, with what is wrong.
    init(_ setup: DemoSetup, logLevel: Logger.Level) throws {
        let serverDirectory = setup.dataDirectory.appendingPathComponent("server")
        let deviceDirectory = setup.dataDirectory.appendingPathComponent("device")
        try FileManager.default.createDirectory(at: serverDirectory, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: deviceDirectory, withIntermediateDirectories: true)

        adminToken = Self.randomToken()
        let enrollmentSecret = Self.randomToken()
        var serverConfiguration = ServerConfiguration(
            dataDirectory: serverDirectory, adminToken: adminToken, enrollmentSecret: enrollmentSecret)
        serverConfiguration.host = "127.0.0.1"
        serverConfiguration.port = setup.port
        var serverLogger = Logger(label: "perch.server")
        serverLogger.logLevel = logLevel
        server = try FleetServer(configuration: serverConfiguration, logger: serverLogger)

        // The device reads the fleet's enrollment secret from a file, as on a real board.
        let secretPath = deviceDirectory.appendingPathComponent("enrollment.secret").path
        try Data(enrollmentSecret.utf8).write(to: URL(fileURLWithPath: secretPath))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: secretPath)

        var device = AgentConfiguration()
        device.device.board = "generic-linux"
        device.device.hardwareId =
            "demo-" + (ProcessInfo.processInfo.hostName.isEmpty ? "host" : ProcessInfo.processInfo.hostName)
        device.device.group = "demo"
        device.device.stateDirectory = deviceDirectory.path
        device.camera.source = setup.resolvedSource
        device.camera.loop = true
        device.camera.framesPerSecond = setup.framesPerSecond
        // A cat in view for half a second is an event (with its JPEG snapshot on the dashboard).
        device.postProcess.minimumDurationMs = 500
        device.model.path = setup.firstModel
        device.model.name = "cat"
        device.model.version = "v1"
        device.journal.commitIntervalMs = 200
        device.sync.serverURL = setup.serverURL
        device.sync.enrollmentSecretFile = secretPath
        device.sync.batchSize = 50
        device.sync.intervalMs = 300
        device.sync.backoffInitialMs = 200
        device.sync.backoffMaxMs = 2000
        device.sync.heartbeatIntervalS = 2
        device.ota.enabled = true
        device.ota.pollIntervalS = 1
        device.ota.fleetPublicKey = server.signingKey.publicKeyBase64
        device.ota.healthFrames = 8
        // The health window's latency bound: generous, as the demo may run a debug build on a busy desktop
        // (a Pi runs the cat model in about a millisecond; the boards' configs keep the default 1000 ms).
        device.ota.maxLatencyMs = 5000
        // The health endpoint would need a second port; the demo prints what it would show.
        device.health.enabled = false
        device.logging.level = logLevel.rawValue
        var agentLogger = Logger(label: "perch.agent")
        agentLogger.logLevel = logLevel
        agent = try Agent(configuration: device, logger: agentLogger)
    }

    /// 32 random bytes as lowercase hex.
    private static func randomToken() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { $0.map { String(format: "%02x", $0) }.joined() }
    }
}
