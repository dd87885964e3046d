import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPCompression
import NIOHTTPTypesHTTP1

/// Hummingbird's HTTP/1.1 channel with request-body decompression (`Content-Encoding: gzip` or `deflate`).
///
/// swift-nio-extras' `NIOHTTPRequestDecompressor` works on NIO's HTTP/1 parts, so it is inserted just before
/// the codec that turns them into HTTP types. The decompression limit bounds the ratio of inflated to
/// compressed bytes (zip bombs); the routes' body limits then apply to the inflated body. A body that is
/// not valid gzip closes the connection (the decompressor reports it as a channel error).
struct GzipHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let base: HTTP1Channel
    /// Largest allowed ratio of decompressed to compressed size.
    let maxRatio: Int

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let maxRatio = self.maxRatio
        return base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let codec = try channel.pipeline.syncOperations.handler(type: HTTP1ToHTTPServerCodec.self)
            try channel.pipeline.syncOperations.addHandler(
                NIOHTTPRequestDecompressor(limit: .ratio(maxRatio)), position: .before(codec))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 that accepts gzip- or deflate-compressed request bodies.
    ///
    /// - Parameter maxRatio: Largest allowed ratio of decompressed to compressed size.
    static func http1AcceptingGzip(maxRatio: Int = 100) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            GzipHTTP1Channel(base: HTTP1Channel(responder: responder), maxRatio: maxRatio)
        }
    }
}
