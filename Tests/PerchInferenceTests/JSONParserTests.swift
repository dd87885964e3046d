import Testing

@testable import PerchConformance

@Suite struct JSONParserTests {
    private func parse(_ text: String) throws(JSONError) -> JSONValue {
        try JSONParser.parse(Array(text.utf8))
    }

    @Test func parsesNestedDocuments() throws {
        let value = try parse(#" {"a": [1, -2, 3.5, true, null, "x\n\u00e9"], "b": {"c": -128}} "#)
        #expect(value["a"] == .array([.integer(1), .integer(-2), .number(3.5), .bool(true), .null, .string("x\né")]))
        #expect(value["b"]?["c"] == .integer(-128))
    }

    @Test func keepsIntegersExactAndReadsExponents() throws {
        #expect(try parse("9007199254740993") == .integer(9_007_199_254_740_993))
        #expect(try parse("1e3") == .number(1000))
        #expect(try parse("0.007843137718737125").doubleValue == 0.007843137718737125)
    }

    @Test func decodesSurrogatePairs() throws {
        #expect(try parse(#""\ud83d\ude00""#) == .string("😀"))
    }

    @Test func rejectsMalformedTextWithItsOffset() {
        #expect(throws: JSONError.unexpectedEnd(offset: 4)) { try parse("[1, ") }
        #expect(throws: JSONError.trailingData(offset: 3)) { try parse("[] x") }
        #expect(throws: JSONError.invalidNumber(offset: 1)) { try parse("[-]") }
        #expect(throws: JSONError.invalidEscape(offset: 2)) { try parse(#""\q""#) }
        #expect(throws: JSONError.unexpectedByte(UInt8(ascii: "}"), offset: 5)) { try parse(#"{"a" }"#) }
    }

    @Test func limitsNesting() {
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: JSONError.tooDeep(offset: 64)) { try parse(deep) }
    }
}
