import EnsembleCore
import EnsembleServer
import EnsembleStore
import Hummingbird
import Logging
import ServiceLifecycle

/// Builds the whole server: database, MCP sessions, HTTP routes and background services.
///
/// The one composition root; tests build the same graph through `buildApplication`.
/// - Returns: The services to run in one `ServiceGroup`, the HTTP application first.
/// - Throws: `CompositionError` when a part cannot be created (e.g. the database cannot be opened).
func buildServices(configuration: EnsembleConfiguration, version: String, logger: Logger) throws(CompositionError)
    -> [any Service]
{
    let database: EnsembleDatabase
    do {
        database = try EnsembleDatabase.open(at: configuration.store.databasePath)
    } catch {
        throw .store(error)
    }
    logger.info("Database ready", metadata: [LogKey.storePath: "\(configuration.store.databasePath)"])
    let parts = buildApplication(repository: database, configuration: configuration, version: version, logger: logger)
    return [parts.application, parts.reaper]
}

/// The HTTP application and the session reaper over `repository`.
func buildApplication(
    repository: any Repository,
    configuration: EnsembleConfiguration,
    version: String,
    logger: Logger
) -> (application: some ApplicationProtocol, reaper: SessionReaper) {
    let registry = ToolRegistry.coordinator(context: ToolContext(repository: repository), logger: logger)
    let sessions = MCPSessionManager(
        factory: MCPServerFactory(registry: registry, version: version),
        idleTimeout: configuration.mcp.sessionIdleTimeout,
        logger: logger
    )
    let router = Router()
    router.add(
        middleware: LocalRequestMiddleware(
            policy: LocalRequestPolicy(bindHost: configuration.http.host, port: configuration.http.port)
        )
    )
    MCPController(sessions: sessions).addRoutes(to: router)
    HealthController(health: repository, sessions: sessions, version: version).addRoutes(to: router)
    let http = configuration.http
    let application = Application(
        router: router,
        configuration: .init(address: .hostname(http.host, port: http.port), serverName: "vibe-ensemble"),
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? http.port
            let url = "http://\(http.host):\(port)/mcp"
            logger.info(
                "Listening; connect Claude Code with: claude mcp add --transport http vibe-ensemble \(url)",
                metadata: [LogKey.httpHost: "\(http.host)", LogKey.httpPort: "\(port)"]
            )
        },
        logger: logger
    )
    let reaper = SessionReaper(
        sessions: sessions,
        interval: min(.seconds(60), configuration.mcp.sessionIdleTimeout / 2)
    )
    return (application, reaper)
}
