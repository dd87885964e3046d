import Foundation
import Testing

/// Reads the `inputs[0].data` of each case of a shared `*.vectors.json` file.
enum VectorFile {
    static func inputs(path: String) throws -> [String: [Int8]] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let cases = try #require(root["cases"] as? [[String: Any]])
        var result: [String: [Int8]] = [:]
        for c in cases {
            guard let name = c["name"] as? String, let inputs = c["inputs"] as? [[String: Any]],
                let values = inputs.first?["data"] as? [Int]
            else { continue }
            result[name] = values.map { Int8($0) }
        }
        return result
    }
}
