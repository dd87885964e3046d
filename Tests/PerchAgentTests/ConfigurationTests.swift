import Foundation
import PerchAgent
import Testing

@Suite struct ConfigurationTests {
    static let boards = ConfigurationSchema.boards

    @Test(arguments: boards)
    func firmwareConfigPassesTheCheck(_ board: String) throws {
        let path = TestPaths.repository.appendingPathComponent("firmware-configs/\(board)/perchd.toml").path
        let (configuration, problems) = ConfigurationLoader.check(path: path)
        #expect(problems.isEmpty, "\(problems)")
        let loaded = try #require(configuration)
        #expect(loaded.device.board == board)
        #expect(loaded.camera.framesPerSecond > loaded.thermal.throttledFramesPerSecond)
        #expect(loaded.postProcess.thresholdOff < loaded.postProcess.thresholdOn)
    }

    @Test func boardsAreTunedDifferently() throws {
        let configs = try Self.boards.map { board in
            try ConfigurationLoader.load(
                path: TestPaths.repository.appendingPathComponent("firmware-configs/\(board)/perchd.toml").path)
        }
        let zero = try #require(configs.first { $0.device.board == "rpi-zero-2w" })
        let pi5 = try #require(configs.first { $0.device.board == "rpi5" })
        #expect(zero.model.memoryBudgetMiB < pi5.model.memoryBudgetMiB)
        #expect(zero.camera.framesPerSecond < pi5.camera.framesPerSecond)
        #expect(zero.journal.maxMiB < pi5.journal.maxMiB)
        #expect(zero.camera.width * zero.camera.height < pi5.camera.width * pi5.camera.height)
    }

    @Test func anEmptyFileGivesTheDefaults() throws {
        let (configuration, problems) = ConfigurationLoader.check(text: "")
        #expect(problems.isEmpty)
        #expect(configuration == AgentConfiguration())
    }

    @Test func everyProblemIsReportedWithItsKeyPath() {
        let text = """
            [camera]
            fps = "fast"
            width = 8
            colour = "red"
            [postprocess]
            threshold_on = 0.4
            threshold_off = 0.6
            groups = { cat = ["tabby", "tiger cat"], dog = 3 }
            [sync]
            server_url = "ftp://x"
            ca_file = "/nonexistent/ca.pem"
            [telemetry]
            on = true
            """
        let (_, problems) = ConfigurationLoader.check(text: text)
        let byKey = Dictionary(grouping: problems, by: \.keyPath)
        #expect(byKey["camera.fps"]?.first?.reason == .wrongType(expected: "number", found: "string"))
        #expect(byKey["camera.width"]?.first?.reason == .outOfRange(value: "8", allowed: "16…4096"))
        #expect(byKey["camera.colour"]?.first?.reason == .unknownKey)
        #expect(byKey["telemetry"]?.first?.reason == .unknownKey)
        #expect(
            byKey["postprocess.groups.dog"]?.first?.reason == .wrongType(expected: "array of strings", found: "integer")
        )
        #expect(byKey["postprocess.threshold_off"] != nil)
        #expect(byKey["sync.server_url"]?.first?.reason == .invalid("must start with http:// or https://"))
        #expect(byKey["sync.ca_file"]?.first?.reason == .fileNotFound(path: "/nonexistent/ca.pem"))
        #expect(problems.count == 8, "\(problems)")
        #expect(problems.allSatisfy { !$0.description.isEmpty && $0.description.hasPrefix($0.keyPath) })
    }

    @Test func groupsAreRead() throws {
        let (configuration, problems) = ConfigurationLoader.check(
            text: "[postprocess.groups]\ncat = [\"tabby\", \"tiger cat\", \"Egyptian cat\"]\n")
        #expect(problems.isEmpty)
        #expect(configuration?.postProcess.groups["cat"] == ["tabby", "tiger cat", "Egyptian cat"])
    }

    @Test func aMissingFileAndBadSyntaxAreProblemsToo() throws {
        let missing = ConfigurationLoader.check(path: "/nonexistent/perchd.toml").1
        #expect(missing == [ConfigurationProblem("", .missingFile(path: "/nonexistent/perchd.toml"))])
        let (configuration, syntax) = ConfigurationLoader.check(text: "[camera\nfps = 3")
        #expect(configuration == nil)
        guard case .syntax(_, let line, _) = try #require(syntax.first).reason else {
            Issue.record("expected a syntax error, got \(syntax)")
            return
        }
        #expect(line == 1)
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.load(path: "/nonexistent/perchd.toml") }
    }

    @Test func integersAreAcceptedWhereNumbersAreExpected() {
        let (configuration, problems) = ConfigurationLoader.check(text: "[camera]\nfps = 12\n")
        #expect(problems.isEmpty)
        #expect(configuration?.camera.framesPerSecond == 12)
    }

    @Test func theDefaultsTableNamesEveryKey() {
        let table = ConfigurationSchema.defaultsTable()
        for field in ConfigurationSchema.fields { #expect(table.contains("`\(field.path)`")) }
        #expect(table.contains("| `camera.fps` | number | 0.1…120.0 | `5.0` |"))
    }
}
