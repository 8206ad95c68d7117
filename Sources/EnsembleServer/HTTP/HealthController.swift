package import EnsembleCore
import Foundation
import HTTPTypes
package import Hummingbird
import Logging
import NIOCore

/// `GET /health`: proves the server and its database answer.
package struct HealthController<Context: RequestContext>: Sendable {
    let health: any HealthCheck
    let sessions: MCPSessionManager
    let version: String

    package init(health: any HealthCheck, sessions: MCPSessionManager, version: String) {
        self.health = health
        self.sessions = sessions
        self.version = version
    }

    /// Adds the route to `router`.
    package func addRoutes(to router: Router<Context>) {
        router.get("/health") { _, context in
            do {
                let store = try await health.checkHealth()
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
        var version: String
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
