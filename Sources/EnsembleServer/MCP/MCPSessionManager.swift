package import EnsembleCore
import Foundation
package import Logging
package import MCP

/// Owns every MCP session: one swift-sdk `Server` and one `SessionTransport` per session, keyed by
/// the `MCP-Session-Id` chosen on `initialize`.
///
/// It routes each HTTP exchange on `/mcp` before the SDK sees it: batches and malformed JSON are
/// rejected, the seeds' session-less `call_tool`/`list_tools` get a plain JSON answer, a
/// `server/discover` probe gets a 4xx so clients fall back to `initialize`, and unknown sessions
/// get 404. Claude Code in `-p` mode never sends DELETE, so sessions are reaped: a worker's when
/// its run ends (its token is revoked), never while the run lives however quiet it is (a long
/// build must not cost its report); a coordinator's when idle for the timeout with no stream open.
///
/// Memory stays bounded however long the server runs: each caller has at most
/// `maximumSessionsPerCaller` sessions (a new one replaces that caller's least recently used
/// session, whose client then gets 404 and initializes again, as after any expiry), each
/// session's replay window and stream backlog are bounded, and event notifications go only to
/// sessions with a stream to carry them. A dropped stream is only noticed when written to, so
/// the limit never waits for streams.
///
/// Isolation: an actor. Reentrancy: a session is inserted before its `initialize` is forwarded,
/// and every lookup after an `await` reads the map again.
package actor MCPSessionManager {
    private struct Session {
        let server: Server
        let transport: SessionTransport
        let caller: ToolCaller
        /// The session's tools, which answer `tools/call` and `tools/list` (`ToolMethods`).
        let registry: ToolRegistry
        /// The worker's bearer token; once revoked (its process ended) the session is reaped.
        let token: String?
        /// The clock's uptime at the last request.
        var lastActivity: Duration
    }

    private var sessions: [String: Session] = [:]
    /// The most sessions one caller (the coordinator, or one worker) may hold at once.
    package let maximumSessionsPerCaller: Int
    private let factory: MCPServerFactory
    private let seedHandler: SeedRequestHandler
    private let credentials: WorkerCredentials
    private let authenticator: CallerAuthenticator
    private let idleTimeout: Duration
    private let clock: any EnsembleClock
    private let logger: Logger
    /// The SDK transports' logger: their per-session lines repeat ours, so only warnings pass.
    private let transportLogger: Logger

    // MARK: - Initialization

    /// Creates a manager that builds sessions with `factory`, tells callers apart with
    /// `authenticator`, and reaps sessions idle for `idleTimeout`.
    package init(
        factory: MCPServerFactory,
        authenticator: CallerAuthenticator,
        idleTimeout: Duration,
        maximumSessionsPerCaller: Int = 32,
        clock: any EnsembleClock = SystemClock(),
        logger: Logger
    ) {
        self.maximumSessionsPerCaller = maximumSessionsPerCaller
        self.factory = factory
        self.clock = clock
        self.credentials = authenticator.credentials
        self.authenticator = authenticator
        self.seedHandler = SeedRequestHandler(factory: factory)
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
    ///
    /// Not isolated: parsing and tool calls run beside each other; only the session map is the
    /// actor's.
    package nonisolated func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let request = request.withLowercasedFieldNames
        let caller: ToolCaller
        switch authenticate(request) {
        case .success(let authenticated): caller = authenticated
        case .failure(let refusal): return refusal.response
        }
        let sessionID = request.field(.sessionID)
        var routing: JSONRPCRouting.Kind?
        if request.method.uppercased() == "POST" {
            switch JSONRPCMessage(body: request.body ?? Data()) {
            case .malformed:
                return JSONRPCReply.error(status: 400, .parseError("The body is not valid JSON."))
            case .batch:
                return JSONRPCReply.error(
                    status: 400,
                    .invalidRequest("Batch requests are not supported: send one JSON-RPC message per POST.")
                )
            case .invalid(let reason):
                return JSONRPCReply.error(status: 400, .invalidRequest(reason))
            case .single(let message):
                if let method = message.method, let id = message.id,
                    let refusal = JSONRPCParameterRules.refusal(method: method, params: message.params)
                {
                    return JSONRPCReply.failure(id: id, .invalidParams(refusal))
                }
                guard let sessionID else {
                    return await handleSessionless(request, message: message, caller: caller)
                }
                if let method = message.method, let id = message.id, ToolMethods.methods.contains(method) {
                    return await answerTools(method, id: id, params: message.params, request, in: sessionID, caller)
                }
                routing = message.routing
            }
        }
        guard let sessionID else {
            return JSONRPCReply.error(
                status: 400,
                .invalidRequest("Missing MCP-Session-Id header: send initialize to start a session.")
            )
        }
        return await forward(request, kind: routing, to: sessionID, caller: caller)
    }

    /// Rung when a coordinator opens a stream for server-initiated messages, so the event
    /// publisher, idle while nobody listens, starts pushing.
    package nonisolated let listenerBell = EventBell()

    /// Whether a coordinator session has a stream open that would carry a notification now.
    package func hasListeningCoordinator() async -> Bool {
        await !listeningCoordinators().isEmpty
    }

    /// Sends each event as a `notifications/message` (a hint) to every coordinator session with an
    /// open stream; the others would only buffer it (events stay in the store for `get_events`).
    package func notifyCoordinators(of events: [Event]) async {
        let coordinators = await listeningCoordinators()
        guard !coordinators.isEmpty else { return }
        // The SDK's `log` takes a `Value`, so each event is written and parsed back: events are
        // few, and tool results, which are many, never take this way.
        let values = events.compactMap { event in
            (try? JSONTextEncoder().encode(event)).flatMap { try? JSONValueParser.parse(Data($0)) }
        }
        for server in coordinators {
            for value in values {
                try? await server.log(level: .info, logger: "vibe-ensemble.events", data: value)
            }
        }
    }

    /// The servers of the coordinator sessions with a stream open.
    private func listeningCoordinators() async -> [Server] {
        var coordinators: [Server] = []
        for session in sessions.values where session.caller == .coordinator {
            if await session.transport.hasOpenStream { coordinators.append(session.server) }
        }
        return coordinators
    }

    // MARK: - Lifecycle

    /// Ends the sessions of workers whose run ended, and coordinator sessions idle for the timeout.
    /// - Returns: How many sessions were ended.
    @discardableResult
    package func reapIdleSessions() async -> Int {
        let now = clock.uptime
        var idle: [String] = []
        for (id, session) in sessions {
            if let token = session.token {
                if credentials.worker(forToken: token) == nil { idle.append(id) }
            } else if now - session.lastActivity >= idleTimeout, await !session.transport.hasOpenStream {
                idle.append(id)
            }
        }
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

    /// Writes a keep-alive comment on every open stream (see `SessionTransport.keepAlive()`).
    package func keepStreamsAlive() async {
        for session in sessions.values {
            await session.transport.keepAlive()
        }
    }

    /// Ends every session, closing their SSE streams; used at shutdown.
    package func closeAllSessions() async {
        for id in sessions.keys {
            await endSession(id)
        }
    }

    // MARK: - Private helpers

    /// The caller a request speaks for, or the 401 refusing it.
    private nonisolated func authenticate(_ request: HTTPRequest) -> Result<ToolCaller, HTTPRefusal> {
        guard let caller = authenticator.caller(authorization: request.field(.authorization)) else {
            return .failure(
                HTTPRefusal(
                    response: JSONRPCReply.error(
                        status: 401,
                        .invalidRequest(
                            "Unknown or missing bearer token: send Authorization: Bearer <coordinator token> "
                                + "(the server's data directory holds it in coordinator-token; "
                                + "vibe-ensemble setup-claude-code wires Claude Code to it)."
                        )
                    )
                )
            )
        }
        return .success(caller)
    }

    /// Answers `tools/list` or `tools/call` in session `id` (see `ToolMethods`): admitted by the
    /// session's transport like any request, answered in one SSE body, or on a stream opened at
    /// once for a tool that may wait long.
    private nonisolated func answerTools(
        _ method: String,
        id: Value,
        params: Value?,
        _ request: HTTPRequest,
        in sessionID: String,
        _ caller: ToolCaller
    ) async -> HTTPResponse {
        let session: Session
        switch await activeSession(sessionID, for: caller) {
        case .success(let found): session = found
        case .failure(let refusal): return refusal.response
        }
        let transport = session.transport
        let admitted: SessionTransport.AdmittedRequest
        switch transport.admit(request, id: JSONRPCRouting.key(of: id)) {
        case .success(let request): admitted = request
        case .failure(let refusal): return refusal.response
        }
        let registry = session.registry
        let toolList = factory.toolList(for: caller)
        let respond = { @Sendable in
            await ToolMethods.response(method: method, id: id, params: params, registry: registry, toolList: toolList)
        }
        if let tool = ToolMethods.toolName(method: method, params: params), registry.waits(tool) {
            let response = await transport.openStream(for: admitted)
            Task { await transport.finish(admitted, with: await respond()) }
            return response
        }
        return await transport.answer(admitted, with: await respond())
    }

    /// Session `id`, marked active now, when it exists and belongs to `caller`.
    private func activeSession(_ id: String, for caller: ToolCaller) -> Result<Session, HTTPRefusal> {
        guard var session = sessions[id] else {
            return .failure(
                HTTPRefusal(
                    response: JSONRPCReply.error(
                        status: 404,
                        .invalidRequest(
                            "Session '\(id)' not found, expired or replaced by a newer one of the same caller: "
                                + "send initialize to start a new one."
                        )
                    )
                )
            )
        }
        guard session.caller == caller else {
            return .failure(
                HTTPRefusal(
                    response: JSONRPCReply.error(
                        status: 401,
                        .invalidRequest(
                            "This session belongs to another caller: send the credentials it started with."
                        )
                    )
                )
            )
        }
        session.lastActivity = clock.uptime
        sessions[id] = session
        return .success(session)
    }

    private static func bearerToken(of request: HTTPRequest) -> String? {
        request.field(.authorization).flatMap(CallerAuthenticator.bearerToken)
    }

    private func handleSessionless(
        _ request: HTTPRequest,
        message: JSONRPCMessage.Single,
        caller: ToolCaller
    ) async -> HTTPResponse {
        switch message.method {
        case "initialize"?:
            return await startSession(with: request, caller: caller)
        case let method? where SeedRequestHandler.methods.contains(method):
            return await seedHandler.handle(method: method, id: message.id, params: message.params, caller: caller)
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

    private func startSession(with request: HTTPRequest, caller: ToolCaller) async -> HTTPResponse {
        let id = UUID().uuidString.lowercased()
        let transport = SessionTransport(
            sessionID: id,
            validation: SessionRequestValidation(),
            logger: transportLogger
        )
        let registry = factory.registry(for: caller)
        let server = await factory.makeServer(for: caller, registry: registry)
        do {
            try await server.start(transport: transport)
        } catch {
            logger.error("Cannot start an MCP session", metadata: [LogKey.error: "\(error)"])
            return JSONRPCReply.error(status: 500, .internalError("The session could not be started."))
        }
        sessions[id] = Session(
            server: server,
            transport: transport,
            caller: caller,
            registry: registry,
            token: caller == .coordinator ? nil : Self.bearerToken(of: request),
            lastActivity: clock.uptime
        )
        let response = await transport.handle(request)
        // The trim has no suspension, so however many initializes race, the caller never keeps
        // more than its limit.
        let replaced = makeRoom(for: caller, keeping: id)
        for (replacedID, session) in replaced {
            await session.server.stop()
            logger.info(
                "Ended a caller's least recently used MCP session to make room for a new one",
                metadata: [LogKey.mcpSession: "\(replacedID)", LogKey.mcpClient: "\(caller.workerID)"]
            )
        }
        if response.statusCode >= 400 {
            await endSession(id)
        } else {
            logger.info(
                "MCP session started",
                metadata: [
                    LogKey.mcpSession: "\(id)", LogKey.sessionCount: "\(sessions.count)",
                    LogKey.mcpClient: "\(caller.workerID)",
                ]
            )
        }
        return response
    }

    private func forward(
        _ request: HTTPRequest,
        kind: JSONRPCRouting.Kind?,
        to id: String,
        caller: ToolCaller
    ) async -> HTTPResponse {
        let session: Session
        switch activeSession(id, for: caller) {
        case .success(let found): session = found
        case .failure(let refusal): return refusal.response
        }
        let response = await session.transport.handle(request, kind: kind)
        if request.method.uppercased() == "GET", caller == .coordinator, case .stream = response {
            listenerBell.ring()
        }
        if request.method.uppercased() == "DELETE", response.statusCode == 200 {
            await endSession(id)
            logger.info("MCP session ended by client", metadata: [LogKey.mcpSession: "\(id)"])
        }
        return response
    }

    /// Removes `caller`'s least recently used sessions (by their last request), never `kept`,
    /// until it holds no more than its limit; synchronous, so nothing can interleave.
    ///
    /// An open stream does not protect a session: a dropped one is only noticed when written to,
    /// and a client in use sends requests (Claude Code calls tools), which is what counts.
    /// - Returns: The removed sessions, to be stopped.
    private func makeRoom(for caller: ToolCaller, keeping kept: String) -> [(String, Session)] {
        let held = sessions.filter { $0.value.caller == caller && $0.key != kept }
            .sorted { $0.value.lastActivity < $1.value.lastActivity }
        let excess = held.count + (sessions[kept] == nil ? 0 : 1) - maximumSessionsPerCaller
        guard excess > 0 else { return [] }
        let replaced = Array(held.prefix(excess))
        for (id, _) in replaced { sessions[id] = nil }
        return replaced
    }

    private func endSession(_ id: String) async {
        guard let session = sessions.removeValue(forKey: id) else { return }
        await session.server.stop()
    }
}
