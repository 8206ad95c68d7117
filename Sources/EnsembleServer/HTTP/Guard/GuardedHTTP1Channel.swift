package import HummingbirdCore
package import Logging
package import NIOCore
import NIOHTTP1

/// Hummingbird's HTTP/1 channel with `RequestHeadGuard` right after the HTTP decoder, whose
/// connections are handled on their own event loop (`EventLoopTaskExecutor`).
package struct GuardedHTTP1Channel: ServerChildChannel {
    package typealias Value = HTTP1Channel.Value

    let base: HTTP1Channel

    package func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let operations = channel.pipeline.syncOperations
            let decoder = try operations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try operations.addHandler(RequestHeadGuard(), position: .after(decoder))
            return value
        }
    }

    package func handle(value: Value, logger: Logger) async {
        await withTaskExecutorPreference(EventLoopTaskExecutor(value.channel.eventLoop)) {
            await base.handle(value: value, logger: logger)
        }
    }
}

extension HTTPServerBuilder {
    /// How long a connection may sit with no request in progress (kept alive, or half a head sent)
    /// before it is closed; a connection answering a request, such as an SSE stream, is never idle.
    package static let connectionIdleTimeout: TimeAmount = .seconds(120)

    /// HTTP/1 whose request heads are checked by `RequestHeadRules` before routing, and whose idle
    /// connections are closed, so no local process can hold descriptors open for nothing.
    package static var guardedHTTP1: HTTPServerBuilder {
        HTTPServerBuilder { responder in
            GuardedHTTP1Channel(
                base: HTTP1Channel(responder: responder, configuration: .init(idleTimeout: connectionIdleTimeout))
            )
        }
    }
}
