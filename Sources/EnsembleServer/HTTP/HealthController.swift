package import EnsembleCore
import Foundation
import HTTPTypes
package import Hummingbird
import Logging
import NIOCore

/// `GET /health`: proves the server and its database answer.
///
/// Anyone local may ask whether it is up; the details (version, schema, counts) are for the
/// coordinator only, since they tell a stranger what runs here.
package struct HealthController<Context: RequestContext>: Sendable {
    let health: any HealthCheck
    let sessions: MCPSessionManager
    let authenticator: CallerAuthenticator
    let version: String

    package init(
        health: any HealthCheck,
        sessions: MCPSessionManager,
        authenticator: CallerAuthenticator,
        version: String
    ) {
        self.health = health
        self.sessions = sessions
        self.authenticator = authenticator
        self.version = version
    }

    /// Adds the route to `router`.
    package func addRoutes(to router: Router<Context>) {
        router.get("/health") { request, context in
            let detailed = authenticator.caller(authorization: request.headers[.authorization]) == .coordinator
            do {
                let store = try await health.checkHealth()
                guard detailed else { return try Self.json(Report(status: "ok"), status: .ok) }
                let report = Report(
                    status: "ok",
                    version: version,
                    database: store,
                    mcpSessions: await sessions.sessionCount,
                    error: nil
                )
                return try Self.json(report, status: .ok)
            } catch {
                context.logger.error("Health check failed", metadata: [LogKey.error: "\(error)"])
                guard detailed else { return try Self.json(Report(status: "error"), status: .serviceUnavailable) }
                let report = Report(
                    status: "error",
                    version: version,
                    database: nil,
                    mcpSessions: nil,
                    error: "The database did not answer; the server log has the details."
                )
                return try Self.json(report, status: .serviceUnavailable)
            }
        }
    }

    private struct Report: Encodable {
        var status: String
        var version: String?
        var database: StoreHealth?
        var mcpSessions: Int?
        var error: String?
    }

    private static func json(_ report: Report, status: HTTPResponse.Status) throws -> Response {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(report)
        return Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}
