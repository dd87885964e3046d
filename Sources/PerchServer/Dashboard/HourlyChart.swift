import PerchWire

/// An inline SVG bar chart of detections per hour (stacked by label), rendered on the server.
enum HourlyChart {
    /// Label colours, cycled.
    static let palette = ["#1a73e8", "#e8710a", "#188038", "#d93025", "#9334e6", "#12b5cb"]

    /// Renders `counts` over the `hours` hours ending at the hour of `nowMs`.
    ///
    /// - Returns: An `<svg>` element with one `<rect>` per non-zero (hour, label) cell, each with a `<title>`.
    static func svg(counts: [HourlyCount], nowMs: Int64, hours: Int = 24) -> String {
        let hourMs: Int64 = 3_600_000
        let lastHour = (nowMs / hourMs) * hourMs
        let firstHour = lastHour - Int64(hours - 1) * hourMs
        let labels = Array(Set(counts.map(\.label))).sorted()
        var totals = [Int](repeating: 0, count: hours)
        for count in counts where count.hourStartMs >= firstHour && count.hourStartMs <= lastHour {
            totals[Int((count.hourStartMs - firstHour) / hourMs)] += count.count
        }
        let maxTotal = max(totals.max() ?? 0, 1)
        let width = 720
        let height = 200
        let left = 40
        let bottom = 24
        let plotHeight = height - bottom - 10
        let barWidth = (width - left - 10) / hours
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height + 20)" role="img" \
            aria-label="Detections per hour, last \(hours) hours">
            <line x1="\(left)" y1="\(height - bottom)" x2="\(width - 10)" y2="\(height - bottom)" stroke="#999"/>
            <text x="\(left - 6)" y="14" font-size="11" text-anchor="end">\(maxTotal)</text>
            <text x="\(left - 6)" y="\(height - bottom)" font-size="11" text-anchor="end">0</text>
            """
        for slot in 0..<hours {
            let hourStart = firstHour + Int64(slot) * hourMs
            var y = height - bottom
            for (index, label) in labels.enumerated() {
                let n = counts.first { $0.hourStartMs == hourStart && $0.label == label }?.count ?? 0
                guard n > 0 else { continue }
                let barHeight = max(1, n * plotHeight / maxTotal)
                y -= barHeight
                svg += """
                    <rect class="bar" x="\(left + slot * barWidth + 1)" y="\(y)" width="\(barWidth - 2)" \
                    height="\(barHeight)" fill="\(palette[index % palette.count])">\
                    <title>\(HTML.escape(label)): \(n) at \(HTML.time(hourStart)) UTC</title></rect>

                    """
            }
            if slot % 3 == 0 {
                let hourText = HTML.time(hourStart).dropFirst(11).prefix(2)
                svg += """
                    <text x="\(left + slot * barWidth + barWidth / 2)" y="\(height - 8)" font-size="10" \
                    text-anchor="middle">\(hourText)h</text>

                    """
            }
        }
        for (index, label) in labels.enumerated() {
            let x = left + index * 120
            svg += """
                <rect x="\(x)" y="\(height + 6)" width="10" height="10" fill="\(palette[index % palette.count])"/>\
                <text x="\(x + 14)" y="\(height + 15)" font-size="11">\(HTML.escape(label))</text>

                """
        }
        return svg + "</svg>"
    }
}
