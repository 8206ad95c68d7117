package import EnsembleCore
package import EnsembleServer
import Logging

/// Builds MCP session managers over a store, for HTTP-level tests.
package enum TestSessions {
    /// A session manager whose tools use `repository` and a `FakeWorkerControl`.
    package static func makeManager(
        repository: any Repository,
        credentials: WorkerCredentials = WorkerCredentials(),
        coordinatorToken: String? = nil,
        idleTimeout: Duration = .seconds(60),
        maximumSessionsPerCaller: Int = 32,
        clock: any EnsembleClock = SystemClock()
    ) -> MCPSessionManager {
        let logger = Logger(label: "test")
        let context = ToolContext(repository: repository, workers: FakeWorkerControl(), events: EventBell())
        return MCPSessionManager(
            factory: MCPServerFactory(context: context, version: "test", logger: logger),
            authenticator: CallerAuthenticator(credentials: credentials, coordinatorToken: coordinatorToken),
            idleTimeout: idleTimeout,
            maximumSessionsPerCaller: maximumSessionsPerCaller,
            clock: clock,
            logger: logger
        )
    }
}
