package import EnsembleCore
package import Hummingbird

/// Builds the HTTP routes: the MCP endpoint and the health check, behind the local-request guard.
package enum EnsembleRouter {
    /// The router serving `/mcp` through `sessions`, and `/health` and `/events` from `repository`.
    package static func build(
        repository: any Repository,
        sessions: MCPSessionManager,
        policy: LocalRequestPolicy,
        bell: EventBell,
        authenticator: CallerAuthenticator,
        version: String
    ) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: LocalRequestMiddleware(policy: policy))
        MCPController(sessions: sessions).addRoutes(to: router)
        HealthController(health: repository, sessions: sessions, authenticator: authenticator, version: version)
            .addRoutes(to: router)
        EventStreamController(repository: repository, bell: bell, authenticator: authenticator).addRoutes(to: router)
        return router
    }
}
