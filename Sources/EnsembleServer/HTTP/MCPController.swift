import EnsembleCore
import Foundation
import HTTPTypes
package import Hummingbird
import Logging
import MCP
import NIOCore
import ServiceLifecycle

/// Binds the MCP endpoint (`POST`, `GET`, `DELETE` on `/mcp`) to the session manager.
///
/// Converts Hummingbird requests to swift-sdk's framework-agnostic `HTTPRequest` (adding `Host`,
/// which Hummingbird keeps out of the header fields), caps the body, and streams SSE responses
/// with `cancelOnGracefulShutdown()` so an open stream never blocks shutdown.
package struct MCPController<Context: Hummingbird.RequestContext>: Sendable {
    /// The largest accepted request body.
    package static var maximumBodySize: Int { 4 * 1024 * 1024 }

    let sessions: MCPSessionManager

    package init(sessions: MCPSessionManager) {
        self.sessions = sessions
    }

    /// Adds the endpoint's routes to `router`.
    package func addRoutes(to router: Router<Context>, path: RouterPath = "/mcp") {
        router.post(path) { request, context in try await respond(to: request, context: context) }
        router.get(path) { request, context in try await respond(to: request, context: context) }
        router.delete(path) { request, context in try await respond(to: request, context: context) }
    }

    // MARK: - Private helpers

    private func respond(to request: Request, context: Context) async throws -> Response {
        var request = request
        let body: Data?
        if request.method == .post {
            do {
                let buffer = try await request.collectBody(upTo: Self.maximumBodySize)
                body = Data(buffer.readableBytesView)
            } catch is NIOTooManyBytesError {
                return Self.response(
                    for: JSONRPCReply.error(
                        status: 413,
                        .invalidRequest("The request body is larger than the 4 MiB limit.")
                    )
                )
            } catch {
                // The client went away or sent a broken body: nothing to answer it with but a 400.
                context.logger.debug("Cannot read an MCP request body", metadata: [LogKey.error: "\(error)"])
                return Self.response(
                    for: JSONRPCReply.error(status: 400, .invalidRequest("The request body could not be read."))
                )
            }
        } else {
            body = nil
        }
        let mcpRequest = MCP.HTTPRequest(
            method: request.method.rawValue,
            headers: Self.headers(of: request),
            body: body,
            path: request.uri.path
        )
        let response = await sessions.handle(mcpRequest)
        context.logger.debug(
            "MCP request",
            metadata: [LogKey.httpMethod: "\(request.method)", LogKey.httpStatus: "\(response.statusCode)"]
        )
        return Self.response(for: response)
    }

    private static func headers(of request: Request) -> [String: String] {
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName
            headers[name] = headers[name].map { "\($0), \(field.value)" } ?? field.value
        }
        if let authority = request.head.authority {
            headers["host"] = authority
        }
        return headers
    }

    private static func response(for response: MCP.HTTPResponse) -> Response {
        var fields = HTTPFields()
        for (name, value) in response.headers {
            if let fieldName = HTTPField.Name(name) {
                fields[fieldName] = value
            }
        }
        let status = HTTPResponse.Status(code: response.statusCode)
        if case .stream(let stream, _) = response {
            let chunks = stream.map { ByteBuffer(bytes: $0) }.cancelOnGracefulShutdown()
            return Response(status: status, headers: fields, body: ResponseBody(asyncSequence: chunks))
        }
        guard let data = response.bodyData else {
            return Response(status: status, headers: fields)
        }
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
