import Foundation
import Synchronization

/// A loopback HTTP proxy in front of a real server that injects the faults a device meets in the field:
/// a 5xx answer, or a connection cut in the middle of a response. One request per connection
/// (`Connection: close` is added upstream), blocking sockets, one thread per connection.
final class FaultProxy: Sendable {
    /// What the proxy does with a request.
    enum Fault: Sendable, Equatable {
        /// Forward it and relay the whole response.
        case none
        /// Answer with this status and a JSON error body, without asking the server.
        case status(Int)
        /// Forward it, relay this many bytes of the response (headers included), then close the connection.
        case cutAfter(Int)
        /// Never answer; hold the connection until the client gives up.
        case stall
    }

    let port: Int
    private let upstreamPort: Int
    private let listener: Int32
    /// Chooses the fault for a request line (`"GET /api/v1/... HTTP/1.1"`).
    private let rule = Mutex<@Sendable (String) -> Fault>({ _ in .none })
    /// Request lines seen, in order.
    let requests = Mutex<[String]>([])

    init(upstreamPort: Int) throws {
        self.upstreamPort = upstreamPort
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var address = Self.loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && listen(listener, 64) == 0
                    && getsockname(listener, pointer, &length) == 0
            }
        }
        guard ok else { throw ProxyError.cannotListen }
        port = Int(UInt16(bigEndian: address.sin_port))
        let listening = listener
        Thread.detachNewThread { [self] in
            while true {
                let client = accept(listening, nil, nil)
                if client < 0 { return }  // the listener was shut down
                Thread.detachNewThread { self.serve(client) }
            }
        }
    }

    enum ProxyError: Error { case cannotListen }

    var url: String { "http://127.0.0.1:\(port)" }

    /// Sets the fault rule for the next requests.
    func inject(_ rule: @escaping @Sendable (String) -> Fault) { self.rule.withLock { $0 = rule } }

    /// Stops accepting connections.
    func close() { shutdown(listener, Int32(SHUT_RDWR)); Glibc.close(listener) }

    private func serve(_ client: Int32) {
        defer { Glibc.close(client) }
        guard var request = Self.readRequest(client) else { return }
        let line = String(decoding: request.prefix { $0 != 13 }, as: UTF8.self)
        requests.withLock { $0.append(line) }
        let fault = rule.withLock { $0 }(line)
        if fault == .stall {
            var byte: UInt8 = 0
            while recv(client, &byte, 1, 0) > 0 {}
            return
        }
        if case .status(let code) = fault {
            let body = #"{"error":{"code":"injected","message":"fault injected by the test proxy"}}"#
            Self.send(
                client,
                Array(
                    "HTTP/1.1 \(code) Injected\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
                        .utf8))
            return
        }
        // One request per connection: ask the server to close after its response.
        if let end = request.firstIndex(of: 10) {
            request.insert(contentsOf: Array("Connection: close\r\n".utf8), at: end + 1)
        }
        let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { Glibc.close(upstream) }
        var address = Self.loopback(port: upstreamPort)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected, Self.send(upstream, request) else { return }
        var budget = Int.max
        if case .cutAfter(let bytes) = fault { budget = bytes }
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        // The response's headers are relayed saying `Connection: close`, as the proxy closes after each response: a
        // client that kept the connection for its next request would race that close and could meet a reset.
        var head: [UInt8]? = []
        while budget > 0 {
            let count = buffer.withUnsafeMutableBytes { recv(upstream, $0.baseAddress, min($0.count, budget), 0) }
            if count <= 0 { return }
            budget -= count
            var chunk = Array(buffer[0..<count])
            if let pending = head {
                let received = pending + chunk
                guard let end = Self.findHeaderEnd(received) else {
                    head = received
                    continue
                }
                chunk = Self.closingConnection(Array(received[0..<end])) + received[end...]
                head = nil
            }
            guard Self.send(client, chunk) else { return }
        }
    }

    /// The response headers (ending in the blank line) with any `Connection` header replaced by `Connection: close`.
    private static func closingConnection(_ headers: [UInt8]) -> [UInt8] {
        let lines = String(decoding: headers, as: UTF8.self).components(separatedBy: "\r\n").filter {
            !$0.isEmpty && !$0.lowercased().hasPrefix("connection:")
        }
        return Array((lines + ["Connection: close", "", ""]).joined(separator: "\r\n").utf8)
    }

    /// Reads one request: headers, then `Content-Length` bytes of body.
    private static func readRequest(_ fd: Int32) -> [UInt8]? {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        var headerEnd: Int?
        var contentLength = 0
        while true {
            if let end = headerEnd, data.count >= end + contentLength { return data }
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return nil }
            data += buffer[0..<count]
            if headerEnd == nil, let range = findHeaderEnd(data) {
                headerEnd = range
                let headers = String(decoding: data[0..<range], as: UTF8.self).lowercased()
                for header in headers.split(separator: "\r\n") where header.hasPrefix("content-length:") {
                    contentLength =
                        Int(header.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
                }
            }
        }
    }

    private static func findHeaderEnd(_ data: [UInt8]) -> Int? {
        guard data.count >= 4 else { return nil }
        for index in 0...(data.count - 4)
        where data[index] == 13 && data[index + 1] == 10 && data[index + 2] == 13 && data[index + 3] == 10 {
            return index + 4
        }
        return nil
    }

    @discardableResult
    private static func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if sent <= 0 { return false }
            offset += sent
        }
        return true
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return address
    }
}
