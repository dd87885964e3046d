import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Lowers the frame rate when the SoC is hot or the firmware throttles, and restores it when cool.
///
/// Reads the temperature (millidegrees Celsius, `/sys/class/thermal/thermal_zone0/temp`) and the Raspberry Pi
/// firmware's throttle flags (hex, `get_throttled`; bits 0–3 are "now": under-voltage, frequency capped,
/// throttled, soft temperature limit). Paths come from the configuration, so tests drive it with plain files.
public final class ThermalGovernor: Service, Sendable {
    /// One reading of the sensors.
    public struct Reading: Sendable, Equatable {
        /// SoC temperature, °C, when readable.
        public var temperatureCelsius: Double?
        /// The firmware throttle flags, when readable.
        public var throttleFlags: UInt32?

        /// Creates a reading.
        public init(temperatureCelsius: Double? = nil, throttleFlags: UInt32? = nil) {
            self.temperatureCelsius = temperatureCelsius
            self.throttleFlags = throttleFlags
        }

        /// Whether any "happening now" flag (bits 0–3) is set.
        public var firmwareThrottlingNow: Bool { (throttleFlags ?? 0) & 0xF != 0 }
    }

    let settings: AgentConfiguration.Thermal
    let control: RuntimeControl
    let logger: Logger
    let last = Mutex(Reading())

    /// Creates the governor.
    public init(settings: AgentConfiguration.Thermal, control: RuntimeControl, logger: Logger) {
        self.settings = settings
        self.control = control
        self.logger = logger
    }

    /// The last reading.
    public var lastReading: Reading { last.withLock { $0 } }

    /// Reads the sensor files (a missing or malformed file reads as unknown).
    public func read() -> Reading {
        func text(_ path: String) -> String? {
            guard !path.isEmpty, let data = FileManager.default.contents(atPath: path) else { return nil }
            return String(bytes: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let temperature = text(settings.temperaturePath).flatMap(Double.init).map { $0 / 1000 }
        let flags = text(settings.throttlePath).flatMap { raw -> UInt32? in
            var hex = raw.hasPrefix("throttled=") ? String(raw.dropFirst("throttled=".count)) : raw
            if hex.hasPrefix("0x") { hex.removeFirst(2) }
            return UInt32(hex, radix: 16)
        }
        return Reading(temperatureCelsius: temperature, throttleFlags: flags)
    }

    /// Applies one reading with hysteresis: hot at `hot_celsius` or firmware throttling; cool again only at
    /// `cool_celsius` and without firmware throttling.
    ///
    /// - Returns: Whether the pipeline is throttled now.
    @discardableResult
    public func apply(_ reading: Reading) -> Bool {
        last.withLock { $0 = reading }
        let wasThrottled = control.settings.throttled
        let temperature = reading.temperatureCelsius
        let throttled: Bool
        if wasThrottled {
            let cool = temperature.map { $0 <= settings.coolCelsius } ?? true
            throttled = !(cool && !reading.firmwareThrottlingNow)
        } else {
            throttled = (temperature.map { $0 >= settings.hotCelsius } ?? false) || reading.firmwareThrottlingNow
        }
        if throttled != wasThrottled {
            control.setThrottled(throttled)
            logger.info(
                throttled ? "Throttling the frame rate" : "Restoring the frame rate",
                metadata: ["thermal.celsius": "\(temperature.map { "\($0)" } ?? "unknown")"])
        }
        return throttled
    }

    /// Polls the sensors until graceful shutdown.
    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            apply(read())
            await gracefulSleep(for: .seconds(settings.pollIntervalS))
        }
    }
}
