import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// What the health endpoint answers to one request.
public struct HealthResponse: Sendable, Equatable {
    /// The HTTP status.
    public var status: HTTPResponseStatus
    /// The `Content-Type` header.
    public var contentType: String
    /// The body, UTF-8.
    public var body: String

    /// A response.
    public init(status: HTTPResponseStatus, contentType: String = "text/plain; charset=utf-8", body: String) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }
}

/// A small HTTP/1.1 server (SwiftNIO) for `/healthz` and `/metrics`: keep-alive, `GET` and `HEAD`, one answer per
/// path from a closure.
///
/// The daemon used a web framework for two plain-text routes until `scripts/daemon/rss-bench.sh` showed what that
/// cost on a board: its code, and an HTTP `Date` header formatted every second through Foundation's ICU time
/// zones. This server writes no `Date` header (RFC 9110 lets a server without a reliable clock omit it, and a Pi
/// has no real-time clock).
public struct HealthServer: Service {
    /// The address to bind.
    public let host: String
    /// The port to bind; 0 picks a free one (see `bound`).
    public let port: Int
    private let respond: @Sendable (_ method: HTTPMethod, _ path: String) -> HealthResponse
    private let bound: (@Sendable (_ port: Int) -> Void)?
    private let logger: Logger

    /// A server answering with `respond`.
    ///
    /// - Parameters:
    ///   - bound: Called with the port once listening (tests bind port 0).
    public init(
        host: String, port: Int, logger: Logger, bound: (@Sendable (_ port: Int) -> Void)? = nil,
        respond: @escaping @Sendable (_ method: HTTPMethod, _ path: String) -> HealthResponse
    ) {
        self.host = host
        self.port = port
        self.respond = respond
        self.bound = bound
        self.logger = logger
    }

    /// Listens until graceful shutdown or cancellation, then closes the listening socket.
    ///
    /// - Throws: ``HealthServerError`` when the address cannot be bound (in use, not local, no permission).
    public func run() async throws {
        let channel = try await bind()
        let boundPort = channel.localAddress?.port ?? port
        logger.info("health endpoint listening", metadata: ["address": "\(host):\(boundPort)"])
        bound?(boundPort)
        try? await gracefulShutdown()
        try await channel.close()
    }

    private func bind() async throws(HealthServerError) -> any Channel {
        let respond = self.respond
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 16)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(HealthHTTPHandler(respond: respond))
                }
            }
        do {
            return try await bootstrap.bind(host: host, port: port).get()
        } catch {
            throw HealthServerError(address: "\(host):\(port)", reason: "\(error)")
        }
    }
}

/// The health endpoint could not listen.
public struct HealthServerError: Error, CustomStringConvertible, Equatable {
    /// `host:port` from `health.listen`.
    public var address: String
    /// What the system said.
    public var reason: String

    public var description: String {
        "health endpoint: cannot listen on \(address) (health.listen): \(reason)"
    }
}

/// One connection: answers each request once its end arrives (the pipeline handler serialises pipelined ones).
final class HealthHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let respond: @Sendable (HTTPMethod, String) -> HealthResponse
    private var request: HTTPRequestHead?

    init(respond: @escaping @Sendable (HTTPMethod, String) -> HealthResponse) {
        self.respond = respond
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): request = head
        case .body: break  // bodies are not used; NIO discards them
        case .end:
            guard let head = request else { return }
            request = nil
            write(answer(to: head), for: head, context: context)
        }
    }

    private func answer(to head: HTTPRequestHead) -> HealthResponse {
        guard head.method == .GET || head.method == .HEAD else {
            return HealthResponse(status: .methodNotAllowed, body: "GET or HEAD only\n")
        }
        let path = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return respond(head.method, String(path))
    }

    private func write(_ response: HealthResponse, for head: HTTPRequestHead, context: ChannelHandlerContext) {
        let body = context.channel.allocator.buffer(string: response.body)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: response.contentType)
        headers.add(name: "Content-Length", value: String(body.readableBytes))
        let keepAlive = head.isKeepAlive
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        let responseHead = HTTPResponseHead(version: head.version, status: response.status, headers: headers)
        context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
        if head.method != .HEAD { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        let sent = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: sent)
        if !keepAlive {
            let channel = context.channel
            sent.futureResult.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
