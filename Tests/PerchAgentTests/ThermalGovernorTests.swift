import Foundation
import Logging
import PerchAgent
import Testing

@Suite struct ThermalGovernorTests {
    @Test func hotSlowsDownAndOnlyCoolRestores() throws {
        let directory = try TestPaths.temporaryDirectory()
        let temperature = directory.appendingPathComponent("temp")
        let throttle = directory.appendingPathComponent("get_throttled")
        var configuration = AgentConfiguration()
        configuration.camera.framesPerSecond = 10
        configuration.thermal.throttledFramesPerSecond = 2
        configuration.thermal.temperaturePath = temperature.path
        configuration.thermal.throttlePath = throttle.path
        configuration.thermal.hotCelsius = 75
        configuration.thermal.coolCelsius = 65
        let control = RuntimeControl(configuration)
        let governor = ThermalGovernor(settings: configuration.thermal, control: control, logger: Logger(label: "t"))
        func step(_ milliCelsius: String, _ flags: String) throws -> Double {
            try Data(milliCelsius.utf8).write(to: temperature)
            try Data(flags.utf8).write(to: throttle)
            governor.apply(governor.read())
            return control.settings.effectiveFramesPerSecond
        }
        #expect(try step("60000\n", "0x0\n") == 10)
        #expect(governor.lastReading == .init(temperatureCelsius: 60, throttleFlags: 0))
        #expect(try step("76500\n", "0x0\n") == 2)  // hot
        #expect(try step("70000\n", "0x0\n") == 2)  // between: stays slow (hysteresis)
        #expect(try step("64000\n", "0x0\n") == 10)  // cool
        #expect(try step("50000\n", "50005\n") == 2)  // firmware: under-voltage now + throttled now
        #expect(try step("50000\n", "50000\n") == 10)  // only "has occurred" bits left
        // Unreadable sensors never throttle on their own.
        try FileManager.default.removeItem(at: temperature)
        try FileManager.default.removeItem(at: throttle)
        #expect(governor.read() == .init(temperatureCelsius: nil, throttleFlags: nil))
        #expect(!governor.apply(governor.read()))
    }
}
