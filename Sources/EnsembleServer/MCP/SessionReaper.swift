import EnsembleCore
package import Logging
package import ServiceLifecycle

/// A service that ends idle MCP sessions periodically, keeps open streams alive (so dead peers
/// are noticed), and ends every session at shutdown.
package struct SessionReaper: Service {
    let sessions: MCPSessionManager
    let interval: Duration

    /// Creates a reaper that checks every `interval`.
    package init(sessions: MCPSessionManager, interval: Duration) {
        self.sessions = sessions
        self.interval = interval
    }

    package func run() async throws {
        // Graceful shutdown is not cancellation: end the wait as soon as shutdown begins.
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            let interval = interval
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            guard !Task.isShuttingDownGracefully, !Task.isCancelled else { break }
            await sessions.reapIdleSessions()
            await sessions.keepStreamsAlive()
        }
        await sessions.closeAllSessions()
    }
}
