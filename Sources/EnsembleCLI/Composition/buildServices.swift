import EnsembleCore
import EnsembleServer
import EnsembleStore
import EnsembleWorkers
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// The running server's parts: the services to run, and the database lock to hold while they run.
struct Composition {
    /// The services to run in one `ServiceGroup`.
    ///
    /// They shut down in reverse order, so the supervisor (last) stops the workers while the HTTP
    /// server and database still serve them.
    var services: [any Service]
    /// This server's claim on its database; released when the process ends.
    var lock: DatabaseLock
}

/// Builds the whole server: database, supervisor, MCP sessions, HTTP routes and background services.
///
/// The one composition root. It takes the database's lock first and reconciles what an earlier
/// server left before anything serves a request, so a second server on the same database stops
/// here instead of killing the first one's workers.
/// - Returns: The services and the held lock.
/// - Throws: `CompositionError` when a part cannot be created (the database is in use by another
///   server, or cannot be opened).
func buildServices(configuration: EnsembleConfiguration, version: String, logger: Logger) async throws(CompositionError)
    -> Composition
{
    let routing = RoutingPolicy(
        autoSpawn: configuration.workers.autoSpawn,
        maxRunningWorkers: configuration.workers.maxRunningWorkers
    )
    let clock = SystemClock()
    for path in PrivateFiles.secure(
        dataDirectory: configuration.store.dataDirectory,
        databasePath: configuration.store.databasePath
    ) {
        logger.warning("Made private (other users could read it)", metadata: [LogKey.storePath: "\(path)"])
    }
    let coordinatorToken = try coordinatorToken(configuration: configuration, logger: logger)
    let lock: DatabaseLock
    let database: EnsembleDatabase
    do {
        lock = try DatabaseLock.acquire(for: configuration.store.databasePath)
        database = try EnsembleDatabase.open(at: configuration.store.databasePath, routing: routing, clock: clock)
    } catch {
        throw .store(error)
    }
    logger.info("Database ready", metadata: [LogKey.storePath: "\(configuration.store.databasePath)"])
    let endpoint = WorkerEndpoint(host: configuration.http.localHost, port: configuration.http.port)
    if !configuration.http.isLoopback {
        logger.warning(
            "Listening beyond this machine: every coordinator request must carry the coordinator token",
            metadata: [LogKey.httpHost: "\(configuration.http.host)"]
        )
    }
    let credentials = WorkerCredentials()
    let launched = LaunchedProcesses()
    let dataDirectory = configuration.store.dataDirectory as NSString
    let logDirectory = dataDirectory.appendingPathComponent("logs")
    let runsDirectory = dataDirectory.appendingPathComponent("runs")
    let workspaces = GitWorkspaces(
        git: Git(runner: CommandRunner(launched: launched)),
        store: database,
        root: dataDirectory.appendingPathComponent("worktrees"),
        logger: logger
    )
    // Workers work in worktrees under the data directory, so only its private parts are denied.
    let privatePaths = [logDirectory, runsDirectory, dataDirectory.appendingPathComponent(CoordinatorToken.fileName)]
    let supervisor = Supervisor(
        store: database,
        credentials: credentials,
        launcher: SubprocessLauncher(stopGrace: configuration.workers.stopGrace, launched: launched),
        configuration: SupervisorConfiguration(
            commandBuilder: WorkerCommandBuilder(
                claudePath: configuration.workers.claudePath,
                serverURL: endpoint.url,
                baseEnvironment: ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("VIBE_ENSEMBLE_") },
                isRoot: getuid() == 0,
                protectedPaths: [
                    (logDirectory as NSString).appendingPathComponent("**"),
                    (runsDirectory as NSString).appendingPathComponent("**"),
                    dataDirectory.appendingPathComponent(CoordinatorToken.fileName),
                    configuration.store.databasePath + "*",
                ],
                sandboxHiddenDirectories: privatePaths + [configuration.store.databasePath]
            ),
            logDirectory: logDirectory,
            runsDirectory: runsDirectory,
            stopGrace: configuration.workers.stopGrace,
            workspaces: workspaces
        ),
        clock: clock,
        logger: logger
    )
    let context = ToolContext(
        repository: database,
        workers: supervisor,
        workspaces: workspaces,
        events: database.eventBell
    )
    let authenticator = CallerAuthenticator(credentials: credentials, coordinatorToken: coordinatorToken)
    let sessions = MCPSessionManager(
        factory: MCPServerFactory(context: context, version: version, logger: logger),
        authenticator: authenticator,
        idleTimeout: configuration.mcp.sessionIdleTimeout,
        clock: clock,
        logger: logger
    )
    let router = EnsembleRouter.build(
        repository: database,
        sessions: sessions,
        policy: LocalRequestPolicy(bindHost: configuration.http.host, port: configuration.http.port),
        bell: database.eventBell,
        authenticator: authenticator,
        version: version
    )
    let http = configuration.http
    let application = Application(
        router: router,
        server: .guardedHTTP1,
        configuration: .init(address: .hostname(http.host, port: http.port), serverName: "vibe-ensemble"),
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? http.port
            endpoint.port = port
            lock.describeHolder("listening on \(endpoint.url())")
            logger.info(
                "Listening; connect a project's Claude Code with: \(SetupCommandHint.command(for: configuration, port: port))",
                metadata: [LogKey.httpHost: "\(http.host)", LogKey.httpPort: "\(port)", "mcp.url": "\(endpoint.url())"]
            )
        },
        logger: logger
    )
    let reaper = SessionReaper(
        sessions: sessions,
        interval: min(.seconds(60), configuration.mcp.sessionIdleTimeout / 2)
    )
    let publisher = EventPublisher(repository: database, bell: database.eventBell, sessions: sessions, logger: logger)
    let sweeper = RetentionSweeper(
        store: database,
        logDirectory: logDirectory,
        retention: configuration.retention,
        clock: clock,
        logger: logger
    )
    // First the workers an earlier server left are ended, then (before any worker runs) what they
    // left in the worktrees is made to match the tickets.
    await supervisor.prepare()
    await workspaces.reconcile(afterRestart: logDirectory)
    let orphans = OrphanReaper(launched: launched, logger: logger)
    let merges = MergeQueue(workspaces: workspaces, bell: database.eventBell, logger: logger)
    return Composition(services: [application, reaper, publisher, sweeper, orphans, supervisor, merges], lock: lock)
}

/// The MCP URL workers connect to; its port is known only once the server listens (for `--port 0`).
final class WorkerEndpoint: Sendable {
    private let host: String
    private let boundPort: Mutex<Int>

    init(host: String, port: Int) {
        self.host = host.contains(":") ? "[\(host)]" : host
        boundPort = Mutex(port)
    }

    /// The port the server listens on.
    var port: Int {
        get { boundPort.withLock { $0 } }
        set { boundPort.withLock { $0 = newValue } }
    }

    /// The MCP endpoint URL.
    @Sendable func url() -> String {
        "http://\(host):\(port)/mcp"
    }
}

/// The token coordinator requests must carry, or `nil` with `--no-auth`; says where it comes from.
private func coordinatorToken(configuration: EnsembleConfiguration, logger: Logger) throws(CompositionError)
    -> String?
{
    switch configuration.http.auth {
    case .disabled:
        logger.warning(
            """
            --no-auth: any local process can act as the coordinator and run workers as this user; \
            drop --no-auth to require the data directory's token
            """
        )
        return nil
    case .token(let token, let source):
        if source == .flag {
            logger.warning(
                """
                The --auth-token value is visible to every local user in the process list; \
                pass it in VIBE_ENSEMBLE_AUTH_TOKEN or --auth-token-file instead
                """
            )
        }
        logger.info("Coordinator requests need the token given by \(source.rawValue)")
        return token
    case .dataDirectoryToken:
        do {
            let (token, path, created) = try CoordinatorToken.loadOrCreate(in: configuration.store.dataDirectory)
            logger.info(
                created ? "Created the coordinator token" : "Coordinator requests need the token",
                metadata: ["auth.token_file": "\(path)"]
            )
            return token
        } catch {
            throw .configuration(error)
        }
    }
}
