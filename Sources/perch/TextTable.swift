import Foundation

/// A plain-text table with aligned columns, as the fleet commands print for humans.
struct TextTable {
    /// How a column's cells line up.
    enum Alignment {
        /// Padded on the right (text).
        case left
        /// Padded on the left (numbers).
        case right
    }

    /// The column headers.
    var headers: [String]
    /// The alignment of each column; missing entries are `.left`.
    var alignments: [Alignment] = []
    /// The rows; each has one cell per header.
    var rows: [[String]] = []

    /// Creates an empty table.
    init(_ headers: [String], alignments: [Alignment] = []) {
        self.headers = headers
        self.alignments = alignments
    }

    /// Appends a row.
    ///
    /// - Precondition: The row has one cell per header.
    mutating func append(_ row: [String]) {
        precondition(row.count == headers.count, "a row needs one cell per header")
        rows.append(row)
    }

    /// The table as lines joined with newlines: header, then rows; columns separated by two spaces,
    /// trailing spaces trimmed.
    func render() -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (column, cell) in cells.enumerated() {
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                let alignment = column < alignments.count ? alignments[column] : .left
                parts.append(alignment == .right ? padding + cell : cell + padding)
            }
            var text = parts.joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }
}

/// Formatting shared by the fleet commands' human output.
enum FleetFormat {
    /// `2026-11-29 03:34:21` (UTC) for Unix epoch milliseconds.
    static func time(_ ms: Int64?) -> String {
        guard let ms else { return "-" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }

    /// `1.5 MiB`-style byte counts.
    static func bytes(_ count: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(count) B" : String(format: "%.1f", value) + " " + units[unit]
    }

    /// A number with a fixed count of decimals.
    static func decimal(_ value: Double, _ places: Int = 2) -> String {
        String(format: "%.\(places)f", value)
    }

    /// The first 12 hex digits of a SHA-256, enough to tell models apart in a table.
    static func shortHash(_ hex: String) -> String { String(hex.prefix(12)) }
}
