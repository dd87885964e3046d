/// Why a JSON text could not be parsed; `offset` is the byte offset in the text.
public enum JSONError: Error, Equatable, Sendable, CustomStringConvertible {
    case unexpectedEnd(offset: Int)
    case unexpectedByte(UInt8, offset: Int)
    case invalidNumber(offset: Int)
    case invalidEscape(offset: Int)
    case tooDeep(offset: Int)
    case trailingData(offset: Int)

    public var description: String {
        switch self {
        case .unexpectedEnd(let offset): return "JSON ends unexpectedly at byte \(offset)"
        case .unexpectedByte(let byte, let offset): return "unexpected byte \(byte) at byte \(offset) of the JSON text"
        case .invalidNumber(let offset): return "invalid number at byte \(offset) of the JSON text"
        case .invalidEscape(let offset): return "invalid string escape at byte \(offset) of the JSON text"
        case .tooDeep(let offset): return "JSON nested too deeply at byte \(offset)"
        case .trailingData(let offset): return "unexpected data after the JSON value at byte \(offset)"
        }
    }
}

/// A strict, bounded JSON parser over UTF-8 bytes.
public struct JSONParser {
    private let bytes: [UInt8]
    private var position = 0
    private let maximumDepth: Int

    /// Parses one JSON document.
    ///
    /// - Parameters:
    ///   - bytes: UTF-8 text.
    ///   - maximumDepth: Nesting limit (arrays and objects), so hostile input cannot exhaust the stack.
    /// - Throws: ``JSONError`` naming the byte offset of the first problem.
    public static func parse(_ bytes: [UInt8], maximumDepth: Int = 64) throws(JSONError) -> JSONValue {
        var parser = JSONParser(bytes: bytes, maximumDepth: maximumDepth)
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if parser.position != bytes.count { throw .trailingData(offset: parser.position) }
        return value
    }

    private init(bytes: [UInt8], maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    private mutating func peek() throws(JSONError) -> UInt8 {
        skipWhitespace()
        guard position < bytes.count else { throw .unexpectedEnd(offset: position) }
        return bytes[position]
    }

    private mutating func expect(_ byte: UInt8) throws(JSONError) {
        let next = try peek()
        guard next == byte else { throw .unexpectedByte(next, offset: position) }
        position += 1
    }

    private mutating func parseValue(depth: Int) throws(JSONError) -> JSONValue {
        guard depth < maximumDepth else { throw .tooDeep(offset: position) }
        let next = try peek()
        switch next {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try parseLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try parseLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try parseLiteral("null"); return .null
        default: return try parseNumber()
        }
    }

    private mutating func parseLiteral(_ literal: StaticString) throws(JSONError) {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw .unexpectedEnd(offset: position) }
        let expected = literal.utf8Start
        for index in 0..<count where bytes[position + index] != expected[index] {
            throw .unexpectedByte(bytes[position + index], offset: position + index)
        }
        position += count
    }

    private mutating func parseObject(depth: Int) throws(JSONError) -> JSONValue {
        try expect(UInt8(ascii: "{"))
        var members: [(key: String, value: JSONValue)] = []
        if try peek() == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            guard try peek() == UInt8(ascii: "\"") else { throw .unexpectedByte(bytes[position], offset: position) }
            let key = try parseString()
            try expect(UInt8(ascii: ":"))
            let value = try parseValue(depth: depth + 1)
            members.append((key, value))
            let next = try peek()
            position += 1
            if next == UInt8(ascii: "}") { return .object(members) }
            guard next == UInt8(ascii: ",") else { throw .unexpectedByte(next, offset: position - 1) }
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONError) -> JSONValue {
        try expect(UInt8(ascii: "["))
        var elements: [JSONValue] = []
        if try peek() == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue(depth: depth + 1))
            let next = try peek()
            position += 1
            if next == UInt8(ascii: "]") { return .array(elements) }
            guard next == UInt8(ascii: ",") else { throw .unexpectedByte(next, offset: position - 1) }
        }
    }

    private mutating func parseString() throws(JSONError) -> String {
        try expect(UInt8(ascii: "\""))
        var utf8: [UInt8] = []
        while true {
            guard position < bytes.count else { throw .unexpectedEnd(offset: position) }
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard position < bytes.count else { throw .unexpectedEnd(offset: position) }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"): try appendUnicodeEscape(to: &utf8)
                default: throw .invalidEscape(offset: position - 1)
                }
            case 0..<0x20:
                throw .unexpectedByte(byte, offset: position - 1)
            default:
                utf8.append(byte)
            }
        }
    }

    private mutating func parseHex4() throws(JSONError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw .unexpectedEnd(offset: position) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw .invalidEscape(offset: position)
            }
            value = value * 16 + digit
            position += 1
        }
        return value
    }

    private mutating func appendUnicodeEscape(to utf8: inout [UInt8]) throws(JSONError) {
        var scalarValue = try parseHex4()
        if (0xD800..<0xDC00).contains(scalarValue) {
            // A high surrogate must be followed by `\uDC00`-`\uDFFF`.
            guard position + 2 <= bytes.count, bytes[position] == UInt8(ascii: "\\"),
                bytes[position + 1] == UInt8(ascii: "u")
            else { throw .invalidEscape(offset: position) }
            position += 2
            let low = try parseHex4()
            guard (0xDC00..<0xE000).contains(low) else { throw .invalidEscape(offset: position - 4) }
            scalarValue = 0x10000 + ((scalarValue - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(scalarValue) else { throw .invalidEscape(offset: position - 4) }
        utf8.append(contentsOf: String(Character(scalar)).utf8)
    }

    private mutating func parseNumber() throws(JSONError) -> JSONValue {
        let start = position
        var isInteger = true
        if position < bytes.count && bytes[position] == UInt8(ascii: "-") { position += 1 }
        let digitsStart = position
        while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        guard position > digitsStart else { throw .invalidNumber(offset: start) }
        if position < bytes.count && bytes[position] == UInt8(ascii: ".") {
            isInteger = false
            position += 1
            let fractionStart = position
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            guard position > fractionStart else { throw .invalidNumber(offset: start) }
        }
        if position < bytes.count && (bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E")) {
            isInteger = false
            position += 1
            if position < bytes.count && (bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-")) {
                position += 1
            }
            let exponentStart = position
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
            guard position > exponentStart else { throw .invalidNumber(offset: start) }
        }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        if isInteger, let value = Int64(text) { return .integer(value) }
        guard let value = Double(text) else { throw .invalidNumber(offset: start) }
        return .number(value)
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
