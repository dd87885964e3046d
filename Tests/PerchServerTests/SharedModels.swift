import Foundation
import Testing

/// The real test models in `../shared/models` (relative to the repository root); tests that need
/// them are disabled with a message when that folder is absent.
enum SharedModels {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/models")

    static var available: Bool {
        FileManager.default.fileExists(atPath: root.appendingPathComponent("single_op/fc_64_to_10.tflite").path)
    }

    static let skipMessage: Comment = "../shared/models is absent: model tests need the shared test models"

    static func bytes(_ relativePath: String) throws -> [UInt8] {
        Array(try Data(contentsOf: root.appendingPathComponent(relativePath)))
    }

    /// A copy of `bytes` whose first operator code is replaced by `builtin` (both the deprecated int8
    /// field and the int32 field), found by walking the flatbuffer: Model.operator_codes[0].
    static func replacingFirstOperatorCode(in bytes: [UInt8], with builtin: Int32) -> [UInt8]? {
        func u32(_ at: Int) -> Int? {
            guard at >= 0, at + 4 <= bytes.count else { return nil }
            return Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24
        }
        func u16(_ at: Int) -> Int? {
            guard at >= 0, at + 2 <= bytes.count else { return nil }
            return Int(bytes[at]) | Int(bytes[at + 1]) << 8
        }
        /// The absolute position of field `index` of the table at `table`, if present.
        func field(_ table: Int, _ index: Int) -> Int? {
            guard let soffset = u32(table) else { return nil }
            let vtable = table - Int(Int32(truncatingIfNeeded: soffset))
            guard let vtableSize = u16(vtable), 4 + 2 * index < vtableSize, let offset = u16(vtable + 4 + 2 * index),
                offset != 0
            else { return nil }
            return table + offset
        }
        guard let root = u32(0), let codesField = field(root, 1), let codesOffset = u32(codesField) else { return nil }
        let vector = codesField + codesOffset
        guard let count = u32(vector), count > 0, let firstOffset = u32(vector + 4) else { return nil }
        let code = vector + 4 + firstOffset
        var patched = bytes
        if let deprecated = field(code, 0) { patched[deprecated] = UInt8(truncatingIfNeeded: min(builtin, 127)) }
        guard let modern = field(code, 3) else { return patched }
        withUnsafeBytes(of: builtin.littleEndian) { for (i, byte) in $0.enumerated() { patched[modern + i] = byte } }
        return patched
    }
}
