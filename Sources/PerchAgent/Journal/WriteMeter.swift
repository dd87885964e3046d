import Foundation

/// Measures bytes this process hands to `write(2)`-family calls, from `/proc/self/io` (`wchar`).
///
/// The journal reads it just before and after each commit (WAL frames, checkpoints, the `-shm` index), so
/// the difference is the commit's writes plus whatever other threads wrote in that window; it is an
/// upper bound, which is the safe side for an SD card's wear budget. Where `/proc` is missing it returns nil
/// and the journal falls back to charging the rows' payload.
enum WriteMeter {
    static func writtenBytes() -> Int64? {
        guard let data = FileManager.default.contents(atPath: "/proc/self/io"),
            let text = String(bytes: data, encoding: .utf8)
        else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("wchar:") {
            return Int64(line.dropFirst("wchar:".count).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }
}
