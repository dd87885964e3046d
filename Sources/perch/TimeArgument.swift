import Foundation

/// Parses the `--since` / `--until` values of `perch results` into Unix epoch milliseconds.
///
/// Accepted forms: `now`; a duration before now (`90s`, `15m`, `2h`, `7d`); an ISO 8601 date-time
/// (`2026-11-29T03:00:00Z`, with an offset, or fractional seconds); a date alone (`2026-11-29`, UTC midnight);
/// a plain integer, read as epoch milliseconds.
enum TimeArgument {
    /// The epoch milliseconds `text` denotes, relative to `now` for durations.
    ///
    /// - Returns: The time, or `nil` if `text` is none of the accepted forms.
    static func epochMilliseconds(_ text: String, now: Date = Date()) -> Int64? {
        let value = text.trimmingCharacters(in: .whitespaces)
        let nowMs = Int64((now.timeIntervalSince1970 * 1000).rounded())
        if value == "now" { return nowMs }
        if let ms = Int64(value) { return ms }
        if let unit = value.last, let amount = Int64(value.dropLast()), amount >= 0 {
            let unitMs: Int64? =
                switch unit {
                case "s": 1000
                case "m": 60_000
                case "h": 3_600_000
                case "d": 86_400_000
                default: nil
                }
            if let unitMs {
                let (product, overflow) = amount.multipliedReportingOverflow(by: unitMs)
                return overflow ? nil : nowMs - product
            }
        }
        for options: ISO8601DateFormatter.Options in [
            [.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds], [.withFullDate],
        ] {
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = options
            formatter.timeZone = TimeZone(identifier: "UTC")
            if let date = formatter.date(from: value) {
                return Int64((date.timeIntervalSince1970 * 1000).rounded())
            }
        }
        return nil
    }
}
