import Foundation
import PerchAgent
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

    @Test func theWatchdogIsPettedOnlyWhileTheDaemonIsAlive() throws {
        let listener = try Listener()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": "400000"])
        // Hung: the period says why and does not pet the watchdog.
        #expect(notifier.notify(SystemdService.watchdogMessage(stallReason: "the capture loop has not moved for 61 s")))
        #expect(listener.receive() == "STATUS=hung: the capture loop has not moved for 61 s")
        // Alive: a ping.
        #expect(notifier.notify(SystemdService.watchdogMessage(stallReason: nil)))
        #expect(listener.receive() == "WATCHDOG=1")
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
