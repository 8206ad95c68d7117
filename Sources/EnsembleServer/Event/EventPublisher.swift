package import EnsembleCore
package import Logging
package import ServiceLifecycle

/// A service that pushes every new event to the coordinator's MCP sessions as a
/// `notifications/message`, so a client that shows notifications learns at once.
///
/// A hint only: the coordinator still reads and acknowledges events with the event tools.
package struct EventPublisher: Service {
    let repository: any Repository
    let bell: EventBell
    let sessions: MCPSessionManager
    let logger: Logger

    package init(repository: any Repository, bell: EventBell, sessions: MCPSessionManager, logger: Logger) {
        self.repository = repository
        self.bell = bell
        self.sessions = sessions
        self.logger = logger
    }

    package func run() async throws {
        // A failed read must not take the server down: log it, wait a moment, and carry on.
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                let feed = EventFeed(repository: repository, bell: bell, after: try await repository.latestEventID())
                for try await events in feed.cancelOnGracefulShutdown() where !events.isEmpty {
                    await sessions.notifyCoordinators(of: events)
                }
                return
            } catch is CancellationError {
                return
            } catch {
                logger.error("Cannot read events to push", metadata: [LogKey.error: "\(error)"])
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
            }
        }
    }
}
