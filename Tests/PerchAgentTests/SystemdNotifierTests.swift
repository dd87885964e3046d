import Foundation
import PerchAgent
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct SystemdNotifierTests {
    /// A real AF_UNIX datagram socket standing where systemd's would be.
    final class Listener {
        let fd: Int32
        let path: String

        init() throws {
            path = try TestPaths.temporaryDirectory("notify").appendingPathComponent("notify.sock").path
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            let bytes = Array(path.utf8)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (index, byte) in bytes.enumerated() { raw[index] = byte }
            }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            #expect(bound == 0)
        }

        func receive() -> String {
            var buffer = [UInt8](repeating: 0, count: 512)
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            return String(decoding: buffer.prefix(max(0, count)), as: UTF8.self)
        }

        deinit { close(fd) }
    }

    @Test func messagesReachTheNotifySocket() throws {
        let listener = try Listener()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": "2000000"])
        #expect(notifier.watchdogInterval == .seconds(1))
        #expect(notifier.notify("READY=1"))
        #expect(listener.receive() == "READY=1")
        #expect(notifier.notify("WATCHDOG=1"))
        #expect(listener.receive() == "WATCHDOG=1")
    }

    @Test func theWatchdogIsPettedOnlyWhileTheDaemonIsAlive() async throws {
        let listener = try Listener()
        // A receive waits at most 3 s (bounded; nothing here measures time).
        var timeout = timeval(tv_sec: 3, tv_usec: 0)
        setsockopt(listener.fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let hung = Mutex<String?>("the capture loop has not moved for 61 s")
        let service = SystemdService(
            notifier: SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": "400000"]),
            stallReason: { hung.withLock { $0 } })
        let running = Task { try await service.run() }
        // The next message, skipping receive timeouts (at most 10 × 3 s: the suite may load the machine).
        func next() -> String {
            for _ in 0..<10 {
                let message = listener.receive()
                if !message.isEmpty { return message }
            }
            return ""
        }
        #expect(next() == "READY=1")
        // Hung: every period says why, and the watchdog is not petted.
        #expect(next() == "STATUS=hung: the capture loop has not moved for 61 s")
        #expect(next() == "STATUS=hung: the capture loop has not moved for 61 s")
        hung.withLock { $0 = nil }
        var message = next()
        while message.hasPrefix("STATUS=hung") { message = next() }
        #expect(message == "WATCHDOG=1")
        running.cancel()
        _ = try? await running.value
    }

    @Test func aPipelineIsHungOnlyWhenAThreadStandsStillPastTheLimit() {
        let second: Int64 = 1_000_000_000
        var snapshot = PipelineSnapshot()
        #expect(snapshot.stallReason(nowNs: 100 * second, limitNs: 60 * second) == nil)  // not started yet
        snapshot.captureLoopAtNs = 50 * second
        #expect(snapshot.stallReason(nowNs: 100 * second, limitNs: 60 * second) == nil)
        #expect(
            snapshot.stallReason(nowNs: 111 * second, limitNs: 60 * second)
                == "the capture loop has not moved for 61 s")
        snapshot.captureLoopAtNs = 110 * second
        snapshot.inferenceBusySinceNs = 40 * second
        #expect(
            snapshot.stallReason(nowNs: 111 * second, limitNs: 60 * second) == "one inference has run for 71 s")
        // A pipeline that ended (finite source) or stopped on a reported error is not hung.
        snapshot.sourceEnded = true
        #expect(snapshot.stallReason(nowNs: 500 * second, limitNs: 60 * second) == nil)
        snapshot.sourceEnded = false
        snapshot.failure = "cannot open v4l2:/dev/video9"
        #expect(snapshot.stallReason(nowNs: 500 * second, limitNs: 60 * second) == nil)
    }

    @Test func withoutSystemdNothingIsSent() {
        let notifier = SystemdNotifier(environment: [:])
        #expect(notifier.socketPath == nil && notifier.watchdogInterval == nil)
        #expect(!notifier.notify("READY=1"))
        #expect(SystemdNotifier(environment: ["NOTIFY_SOCKET": "relative"]).socketPath == nil)
    }
}
