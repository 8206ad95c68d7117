package import EnsembleCore
import Foundation
package import Logging
package import MCP

/// Owns every MCP session: one swift-sdk `Server` and `StatefulHTTPServerTransport` per session,
/// keyed by the `MCP-Session-Id` the transport hands out on `initialize`.
///
/// It routes each HTTP exchange on `/mcp` before the SDK sees it: batches and malformed JSON are
/// rejected, the seeds' session-less `call_tool`/`list_tools` get a plain JSON answer, a
/// `server/discover` probe gets a 4xx so clients fall back to `initialize`, and unknown sessions
/// get 404. Claude Code in `-p` mode never sends DELETE, so idle sessions are reaped.
///
/// Isolation: an actor. Reentrancy: a session is inserted before its `initialize` is forwarded,
/// and every lookup after an `await` reads the map again.
package actor MCPSessionManager {
    private struct Session {
        let server: Server
        let transport: StatefulHTTPServerTransport
        var lastActivity: ContinuousClock.Instant
    }

    private var sessions: [String: Session] = [:]
    private let factory: MCPServerFactory
    private let seedHandler: SeedRequestHandler
    private let idleTimeout: Duration
    private let clock = ContinuousClock()
    private let logger: Logger
    /// The SDK transports' logger: their per-session lines repeat ours, so only warnings pass.
    private let transportLogger: Logger

    // MARK: - Initialization

    /// Creates a manager that builds sessions with `factory` and reaps them after `idleTimeout`.
    package init(factory: MCPServerFactory, idleTimeout: Duration, logger: Logger) {
        self.factory = factory
        self.seedHandler = SeedRequestHandler(registry: factory.registry)
        self.idleTimeout = idleTimeout
        self.logger = logger
        var transportLogger = logger
        transportLogger.logLevel = max(logger.logLevel, .warning)
        self.transportLogger = transportLogger
    }

    // MARK: - Handling requests

    /// The number of open sessions.
    package var sessionCount: Int { sessions.count }

    /// Answers one HTTP exchange on the MCP endpoint.
    package func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let sessionID = request.header(HTTPHeaderName.sessionID)
        if request.method.uppercased() == "POST" {
            switch JSONRPCMessage(body: request.body ?? Data()) {
            case .malformed:
                return JSONRPCReply.error(status: 400, .parseError("The body is not valid JSON."))
            case .batch:
                return JSONRPCReply.error(
                    status: 400,
                    .invalidRequest("Batch requests are not supported: send one JSON-RPC message per POST.")
                )
            case .invalid:
                return JSONRPCReply.error(status: 400, .invalidRequest("The body must be one JSON-RPC object."))
            case .single(let method, let id, let params):
                if sessionID == nil {
                    return await handleSessionless(request, method: method, id: id, params: params)
                }
            }
        }
        guard let sessionID else {
            return JSONRPCReply.error(
                status: 400,
                .invalidRequest("Missing MCP-Session-Id header: send initialize to start a session.")
            )
        }
        return await forward(request, to: sessionID)
    }

    // MARK: - Lifecycle

    /// Ends sessions idle for longer than the idle timeout.
    /// - Returns: How many sessions were ended.
    @discardableResult
    package func reapIdleSessions() async -> Int {
        let now = clock.now
        let idle = sessions.filter { now - $0.value.lastActivity >= idleTimeout }.map(\.key)
        for id in idle {
            await endSession(id)
        }
        if !idle.isEmpty {
            logger.info(
                "Reaped idle MCP sessions",
                metadata: ["mcp.reaped": "\(idle.count)", LogKey.sessionCount: "\(sessions.count)"]
            )
        }
        return idle.count
    }

    /// Ends every session, closing their SSE streams; used at shutdown.
    package func closeAllSessions() async {
        for id in sessions.keys {
            await endSession(id)
        }
    }

    // MARK: - Private helpers

    private func handleSessionless(_ request: HTTPRequest, method: String?, id: Value?, params: Value?) async
        -> HTTPResponse
    {
        switch method {
        case "initialize"?:
            return await startSession(with: request)
        case let method? where SeedRequestHandler.methods.contains(method):
            return await seedHandler.handle(method: method, id: id, params: params)
        case "server/discover"?:
            return JSONRPCReply.error(
                status: 400,
                .invalidRequest("server/discover is not supported: send initialize (protocol 2025-11-25) instead.")
            )
        default:
            return JSONRPCReply.error(
                status: 400,
                .invalidRequest("Missing MCP-Session-Id header: send initialize to start a session.")
            )
        }
    }

    private func startSession(with request: HTTPRequest) async -> HTTPResponse {
        let id = UUID().uuidString.lowercased()
        let transport = StatefulHTTPServerTransport(
            sessionIDGenerator: FixedSessionID(id: id),
            validationPipeline: StandardValidationPipeline(validators: [
                AcceptHeaderValidator(mode: .sseRequired),
                ContentTypeValidator(),
                ProtocolVersionValidator(),
                SessionValidator(),
            ]),
            logger: transportLogger
        )
        let server = await factory.makeServer()
        do {
            try await server.start(transport: transport)
        } catch {
            logger.error("Cannot start an MCP session", metadata: [LogKey.error: "\(error)"])
            return JSONRPCReply.error(status: 500, .internalError("The session could not be started."))
        }
        sessions[id] = Session(server: server, transport: transport, lastActivity: clock.now)
        let response = await transport.handleRequest(request)
        if response.statusCode >= 400 {
            await endSession(id)
        } else {
            logger.info(
                "MCP session started",
                metadata: [LogKey.mcpSession: "\(id)", LogKey.sessionCount: "\(sessions.count)"]
            )
        }
        return response
    }

    private func forward(_ request: HTTPRequest, to id: String) async -> HTTPResponse {
        guard var session = sessions[id] else {
            return JSONRPCReply.error(
                status: 404,
                .invalidRequest("Session '\(id)' not found or expired: send initialize to start a new one.")
            )
        }
        session.lastActivity = clock.now
        sessions[id] = session
        let response = await session.transport.handleRequest(request)
        if request.method.uppercased() == "DELETE", response.statusCode == 200 {
            await endSession(id)
            logger.info("MCP session ended by client", metadata: [LogKey.mcpSession: "\(id)"])
        }
        return response
    }

    private func endSession(_ id: String) async {
        guard let session = sessions.removeValue(forKey: id) else { return }
        await session.server.stop()
    }
}

/// Hands the transport the session id the manager chose, so the manager knows it before the reply.
private struct FixedSessionID: SessionIDGenerator {
    let id: String

    func generateSessionID() -> String { id }
}
