import Foundation
import ServiceLifecycle

#if canImport(Glibc)
    import Glibc
#endif

/// systemd's readiness protocol without libsystemd: datagrams to the `AF_UNIX` socket in `NOTIFY_SOCKET`.
///
/// The protocol (sd_notify(3)): the socket path is absolute, or starts with `@` for the abstract namespace;
/// each datagram holds newline-separated `KEY=VALUE` assignments such as `READY=1`.
public struct SystemdNotifier: Sendable {
    /// The socket, when the daemon runs under systemd with `Type=notify`.
    public let socketPath: String?
    /// Half of `WATCHDOG_USEC`, when the unit sets `WatchdogSec=`.
    public let watchdogInterval: Duration?

    /// Reads `NOTIFY_SOCKET` and `WATCHDOG_USEC` from an environment.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let path = environment["NOTIFY_SOCKET"]
        socketPath = (path?.hasPrefix("/") == true || path?.hasPrefix("@") == true) ? path : nil
        watchdogInterval = environment["WATCHDOG_USEC"].flatMap(Int64.init).map { .microseconds($0 / 2) }
    }

    /// Sends one message, e.g. `READY=1`.
    ///
    /// - Returns: Whether it was sent (false without `NOTIFY_SOCKET` or on a socket error).
    @discardableResult
    public func notify(_ message: String) -> Bool {
        guard let socketPath else { return false }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var pathBytes = Array(socketPath.utf8)
        if pathBytes.first == UInt8(ascii: "@") { pathBytes[0] = 0 }  // abstract namespace
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard pathBytes.count < capacity else { return false }
        // sockaddr_un is a C struct with a fixed char array: the only way to fill and pass it is through pointers,
        // all scoped to these closures.
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in pathBytes.enumerated() { raw[index] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + pathBytes.count + (pathBytes.first == 0 ? 0 : 1))
        let bytes = Array(message.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bytes.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, 0, socketAddress, length) }
            }
        }
        return sent == bytes.count
    }
}

/// Tells systemd the daemon is ready, pets the watchdog while the daemon is alive, and says when it is stopping.
public struct SystemdService: Service {
    let notifier: SystemdNotifier
    let stallReason: @Sendable () -> String?

    /// Creates the service.
    ///
    /// - Parameter stallReason: Why the daemon is hung, or `nil` while it works; while it returns a reason the
    ///   watchdog is not petted, so systemd restarts the daemon after `WatchdogSec`.
    public init(notifier: SystemdNotifier = SystemdNotifier(), stallReason: @escaping @Sendable () -> String? = { nil })
    {
        self.notifier = notifier
        self.stallReason = stallReason
    }

    /// `READY=1`, then `WATCHDOG=1` every half watchdog period while alive, then `STOPPING=1` on graceful
    /// shutdown.
    public func run() async throws {
        notifier.notify("READY=1")
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            guard let interval = notifier.watchdogInterval else {
                try? await gracefulShutdown()
                break
            }
            notifier.notify(Self.watchdogMessage(stallReason: stallReason()))
            await gracefulSleep(for: interval)
        }
        notifier.notify("STOPPING=1")
    }

    /// What one watchdog period sends: `WATCHDOG=1` while alive, else `STATUS=hung: <reason>` (no ping, so
    /// systemd restarts the daemon once `WatchdogSec` passes).
    public static func watchdogMessage(stallReason: String?) -> String {
        stallReason.map { "STATUS=hung: \($0)" } ?? "WATCHDOG=1"
    }
}
