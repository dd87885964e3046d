import Foundation

/// Resident memory of another process, from `/proc/PID/status`.
enum ProcessMemory {
    /// Peak resident set size (`VmHWM`) and current (`VmRSS`) in bytes, or `nil` if the process is gone.
    static func residentBytes(pid: Int32) -> (peak: Int64, current: Int64)? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        func kibibytes(_ key: String) -> Int64? {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }) else { return nil }
            return line.split(separator: " ").compactMap { Int64($0) }.first.map { $0 * 1024 }
        }
        guard let peak = kibibytes("VmHWM"), let current = kibibytes("VmRSS") else { return nil }
        return (peak, current)
    }
}
