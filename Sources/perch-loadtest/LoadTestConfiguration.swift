import Foundation

/// What one load-test run does.
struct LoadTestConfiguration: Sendable {
    /// The server's base URL, without a trailing slash.
    var server: String
    /// The fleet enrollment secret.
    var enrollmentSecret: String
    /// Simulated devices, each with its own token and connection, uploading concurrently.
    var devices = 500
    /// Results per uploaded batch.
    var batchSize = 100
    /// Seconds of measured load.
    var duration: Double = 10
    /// Seconds of load before measuring (connections open, caches warm); not counted.
    var warmup: Double = 2
    /// Stop each device after this many batches (a functional run that does not depend on timing); `nil` = no limit.
    var maxBatchesPerDevice: Int?
    /// Enrollments in flight at once during setup.
    var enrollConcurrency = 16
}
