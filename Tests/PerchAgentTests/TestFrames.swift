import Foundation
import PerchAgent

/// Writes real image files (binary PPM) for `dir:` sources.
enum TestFrames {
    /// Writes `count` distinct 96×72 RGB frames into a new directory and returns its path.
    static func directory(count: Int) throws -> String {
        let directory = try TestPaths.temporaryDirectory("perchd-frames")
        for index in 0..<count {
            let width = 96
            let height = 72
            var bytes = Array("P6\n\(width) \(height)\n255\n".utf8)
            for y in 0..<height {
                for x in 0..<width {
                    bytes.append(UInt8((x * 2 + index * 17) & 0xFF))
                    bytes.append(UInt8((y * 3 + index * 29) & 0xFF))
                    bytes.append(UInt8(((x ^ y) + index * 7) & 0xFF))
                }
            }
            let name = String(format: "frame-%04d.ppm", index)
            try Data(bytes).write(to: directory.appendingPathComponent(name))
        }
        return directory.path
    }

    /// A configuration that runs the repository's cat model on `source`, offline, state in a temp directory.
    static func configuration(source: String) throws -> AgentConfiguration {
        var configuration = AgentConfiguration()
        configuration.device.stateDirectory = try TestPaths.temporaryDirectory("perchd-state").path
        configuration.device.hardwareId = "test-\(UUID().uuidString)"
        configuration.camera.source = source
        configuration.camera.framesPerSecond = 120
        configuration.model.path = TestPaths.catModel
        configuration.journal.commitIntervalMs = 20
        configuration.ota.enabled = false
        configuration.health.enabled = false
        // The build machine's sensors must not slow the tests down.
        configuration.thermal.temperaturePath = ""
        configuration.thermal.throttlePath = ""
        return configuration
    }
}
