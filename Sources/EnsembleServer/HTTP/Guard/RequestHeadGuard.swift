import NIOCore
import NIOHTTP1

/// Refuses, with 400 and a closed connection, a request head that breaks `RequestHeadRules`.
///
/// Sits right after NIO's HTTP/1 decoder, where the head is still raw; a refused request's body
/// is dropped and nothing of it reaches the router.
final class RequestHeadGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// Whether the current request was refused, so its remaining parts are dropped.
    private var refusing = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        switch part {
        case .head(let head):
            let refusal = RequestHeadRules.refusal(
                method: head.method.rawValue,
                target: head.uri,
                hosts: head.headers["Host"],
                requiresHost: head.version != .http1_0 && head.version != HTTPVersion(major: 0, minor: 9)
            )
            guard let refusal else {
                refusing = false
                context.fireChannelRead(data)
                return
            }
            refusing = true
            refuse(head, because: refusal, context: context)
        case .body, .end:
            if !refusing { context.fireChannelRead(data) }
        }
    }

    private func refuse(_ head: HTTPRequestHead, because refusal: String, context: ChannelHandlerContext) {
        let body = JSONRPCErrorBody.invalidRequest(refusal)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: "\(body.utf8.count)")
        headers.add(name: "Connection", value: "close")
        let response = HTTPResponseHead(version: head.version, status: .badRequest, headers: headers)
        context.write(wrapOutboundOut(.head(response)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
            context.close(promise: nil)
        }
    }
}
