import Foundation

/// Minimal HTML building: escaping and the shared page layout (no JavaScript, no external assets).
enum HTML {
    /// Escapes text for element content and attribute values.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// Percent-encodes a path segment for use in a link.
    static func pathSegment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~")))
            ?? ""
    }

    /// A UTC timestamp, `YYYY-MM-DD HH:MM:SS`.
    static func time(_ ms: Int64?) -> String {
        guard let ms else { return "never" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }

    /// A byte count in human units.
    static func bytes(_ count: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(count) B" : String(format: "%.1f %@", value, units[unit])
    }

    /// A full page with navigation; `body` is already-escaped HTML.
    static func page(title: String, active: String, body: String) -> String {
        let links = [("/", "Fleet"), ("/models", "Models"), ("/rollouts", "Rollouts")].map { href, label in
            "<a href=\"\(href)\"\(label == active ? " class=\"active\"" : "")>\(label)</a>"
        }.joined()
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title)) · Perch</title>
            <style>
            body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1d2330;background:#f5f6f8}
            header{background:#1d2330;color:#fff;padding:10px 20px;display:flex;gap:20px;align-items:center}
            header b{font-size:18px}header a{color:#c9d1e0;text-decoration:none}header a.active{color:#fff;font-weight:600}
            main{padding:20px}h1{font-size:20px;margin:0 0 12px}h2{font-size:16px;margin:20px 0 8px}
            table{border-collapse:collapse;background:#fff;width:100%;box-shadow:0 1px 2px #0002}
            th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #e4e7ec;vertical-align:top}
            th{background:#eef0f4;font-weight:600}.num{text-align:right;font-variant-numeric:tabular-nums}
            .ok{color:#137333}.warn{color:#b06000}.bad{color:#c5221f}.muted{color:#6b7280}
            .badge{display:inline-block;padding:1px 6px;border-radius:8px;font-size:12px;background:#e4e7ec}
            .badge.bad{background:#fce8e6}.badge.ok{background:#e6f4ea}.badge.warn{background:#fef7e0}
            .stages span{display:inline-block;padding:2px 8px;margin-right:2px;border-radius:3px;background:#e4e7ec}
            .stages span.done{background:#a8dab5}.stages span.current{background:#1a73e8;color:#fff}
            img.snap{max-width:160px;max-height:120px;border:1px solid #ccc}
            svg{background:#fff;box-shadow:0 1px 2px #0002}
            </style></head><body>
            <header><b>Perch</b>\(links)</header>
            <main>\(body)</main>
            </body></html>
            """
    }
}
