import PerchCapture
import Testing

@Suite struct QuantizationTableTests {
    @Test func zeroTo255WithUnitScaleIsPixelMinus128() {
        let spec = InputSpec(height: 1, width: 1, channels: 1, scale: 1, zeroPoint: -128, normalization: .zeroTo255)
        let table = QuantizationTable(spec: spec)
        let got: [Int8] = (0...255).map { table(UInt8($0), channel: 0) }
        let expected: [Int8] = (0...255).map { Int8($0 - 128) }
        #expect(got == expected)
    }

    @Test func roundingRuleDecidesTies() {
        // scale 2: p / 2 has exact .5 ties for odd p
        let even = QuantizationTable(
            spec: InputSpec(height: 1, width: 1, channels: 1, scale: 2, zeroPoint: 0, normalization: .zeroTo255))
        let away = QuantizationTable(
            spec: InputSpec(
                height: 1, width: 1, channels: 1, scale: 2, zeroPoint: 0, normalization: .zeroTo255,
                rounding: .toNearestOrAwayFromZero))
        #expect([1, 3, 5, 7].map { even(UInt8($0), channel: 0) } == [0, 2, 2, 4])
        #expect([1, 3, 5, 7].map { away(UInt8($0), channel: 0) } == [1, 2, 3, 4])
        #expect(even(255, channel: 0) == 127)  // 127.5 -> 128 saturates at 127
    }

    @Test func minusOneToOneMatchesPersonDetectInput() {
        // person_detect: scale 1/127.5, zero point -1, input in [-1, 1]
        let table = QuantizationTable(
            spec: InputSpec(
                height: 1, width: 1, channels: 1, scale: 1 / 127.5, zeroPoint: -1, normalization: .minusOneToOne))
        #expect(table(0, channel: 0) == -128)  // -127.5 -> -128 (even), -1 -> -129, saturates
        #expect(table(255, channel: 0) == 127)  // 127.5 -> 128 (even), -1 -> 127
        #expect(table(100, channel: 0) == -29)  // 100 - 127.5 = -27.5 -> -28 (even), -1
        #expect(table(200, channel: 0) == 71)  // 72.5 -> 72, -1
    }

    @Test func perChannelMeanStdUsesOneTablePerChannel() {
        let spec = InputSpec(
            height: 1, width: 1, channels: 3, scale: 1 / 255, zeroPoint: -128,
            normalization: .meanStd(mean: [0, 0, 0], std: [1, 0.5, 0.25]))
        let table = QuantizationTable(spec: spec)
        #expect((0..<3).map { table(10, channel: $0) } == [-118, -108, -88])
        #expect((0..<3).map { table(100, channel: $0) } == [-28, 72, 127])
    }

    @Test func uint8ModelsKeepBitPatterns() {
        let table = QuantizationTable(
            spec: InputSpec(
                height: 1, width: 1, channels: 1, elementType: .uint8, scale: 1, zeroPoint: 0, normalization: .zeroTo255
            ))
        #expect(UInt8(bitPattern: table(200, channel: 0)) == 200)
        #expect(table(5, channel: 0) == 5)
    }

    @Test func normalizationParsesConfigValuesAndRejectsGuesses() {
        #expect(Normalization(parsing: "0,255") == .zeroTo255)
        #expect(Normalization(parsing: "[0, 1]") == .zeroToOne)
        #expect(Normalization(parsing: "-1,1") == .minusOneToOne)
        #expect(Normalization(parsing: "imagenet") == .imageNet)
        #expect(
            Normalization(parsing: "mean=0.5,0.5,0.5;std=0.25,0.25,0.25")
                == .meanStd(mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25]))
        #expect(Normalization(parsing: "") == nil)
        #expect(Normalization(parsing: "mean=1;std=0") == nil)
        #expect(Normalization(parsing: "auto") == nil)
    }
}
