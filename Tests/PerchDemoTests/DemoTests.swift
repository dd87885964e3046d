import Foundation
import PerchWire
import Synchronization
import Testing

@testable import perch

/// Runs `perch demo --non-interactive` for real: server and daemon in-process on loopback, the bundled photos,
/// an over-the-air update from cat v1 to cat v2.
@Suite struct DemoTests {
    static let repository: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    @Test func theDemoDeliversResultsToTheServerAndSwapsToTheSecondModel() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("perch-demo-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let port = try #require(LoopbackPort.free())
        let setup = DemoSetup(
            modelDirectory: try DemoSetup.modelDirectory(given: Self.repository + "/models/cat"), source: nil,
            dataDirectory: data, port: port, framesPerSecond: 5, resultsPerPhase: 8, interactive: false,
            timeout: .seconds(240), verbose: false)
        let lines = Mutex<[String]>([])
        let summary = try #require(try await DemoRun.run(setup) { line in lines.withLock { $0.append(line) } })

        // Results from both versions reached the server's database.
        #expect(summary.results(of: "v1") >= 8)
        #expect(summary.results(of: "v2") >= 8)
        // The device took v2 without a restart, passed its health window and told the server.
        #expect(summary.finalModelVersion == "v2")
        #expect(summary.reports == [.activated, .healthy])
        #expect(summary.rolloutState == .completed)
        // The bundled photos are half cats: v2 sees cats and non-cats (which frames get inferred depends on load:
        // newest frame wins, so only their presence is checked; per-frame scores are in demo-frames/README.md).
        #expect(summary.results(of: "v2", labelled: "cat") > 0)
        #expect(summary.results(of: "v2", labelled: "non_cat") > 0)

        let output = lines.withLock { $0 }
        #expect(output.contains { $0.contains("enrolled as \(summary.deviceId)") })
        #expect(output.contains { $0.contains("rollout #1 created") })
        #expect(output.contains { $0.contains("swapped cat v2 in") })
        #expect(output.contains { $0.contains("Dashboard: http://127.0.0.1:\(port)/") })
        // The server's database is on disk where the demo said.
        #expect(FileManager.default.fileExists(atPath: data.appendingPathComponent("server").path))
    }

    @Test func aBusyPortIsAClearErrorBeforeAnythingStarts() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("perch-demo-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let listener = try #require(BusyPort())
        let setup = DemoSetup(
            modelDirectory: Self.repository + "/models/cat", source: nil, dataDirectory: data, port: listener.port,
            framesPerSecond: 20, resultsPerPhase: 1, interactive: false, timeout: .seconds(10), verbose: false)
        await #expect {
            _ = try await DemoRun.run(setup) { _ in }
        } throws: { error in
            "\(error)".contains("port \(listener.port) on 127.0.0.1 is in use")
        }
        #expect(!FileManager.default.fileExists(atPath: data.path))
    }

    @Test func missingModelsNameWhereTheyWereLookedFor() {
        #expect {
            _ = try DemoSetup.modelDirectory(given: "/nonexistent/models")
        } throws: { error in
            "\(error)".contains("not found in /nonexistent/models")
        }
    }
}

/// A socket listening on a loopback port, so the port is busy while it lives.
final class BusyPort {
    let descriptor: Int32
    let port: Int

    init?() {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && listen(fd, 1) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            return nil
        }
        descriptor = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }
}
