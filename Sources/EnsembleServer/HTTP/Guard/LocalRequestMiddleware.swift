import Foundation
import HTTPTypes
package import Hummingbird
import Logging
import NIOCore

/// Applies `LocalRequestPolicy` to every request, answering 403 with a JSON-RPC error body.
package struct LocalRequestMiddleware<Context: RequestContext>: RouterMiddleware {
    let policy: LocalRequestPolicy

    package init(policy: LocalRequestPolicy) {
        self.policy = policy
    }

    package func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let origin = request.headers[.origin]
        guard let refusal = policy.refusal(host: request.head.authority, origin: origin) else {
            return try await next(request, context)
        }
        context.logger.warning(
            "Refused a non-local request",
            metadata: ["http.host": "\(request.head.authority ?? "-")", "http.origin": "\(origin ?? "-")"]
        )
        let body = JSONRPCErrorBody.invalidRequest(refusal)
        return Response(
            status: .forbidden,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body))
        )
    }
}
