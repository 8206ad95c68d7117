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
                try await cancelWhenGracefulShutdown { try await publish() }
                return
            } catch is CancellationError {
                return
            } catch {
                logger.error("Cannot read events to push", metadata: [LogKey.error: "\(error)"])
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
            }
        }
    }

    /// Pushes new events while a coordinator has a stream open to show them.
    ///
    /// While none has, it reads nothing, so a commit costs no read (the hints of that time are
    /// history, which the event tools read). It waits for the bell or for a stream to open, with
    /// no timer.
    private func publish() async throws {
        var mark: EventID?
        var listening = false
        while !Task.isCancelled {
            let (eventGeneration, listenerGeneration) = (bell.generation, sessions.listenerBell.generation)
            if await sessions.hasListeningCoordinator() {
                if !listening {
                    mark = try await repository.latestEventID()
                    listening = true
                } else {
                    let limit = EventQuery.limitRange.upperBound
                    let events = try await repository.events(
                        matching: EventQuery(processed: nil, sinceId: mark, limit: limit)
                    )
                    if let last = events.last {
                        mark = last.id
                        await sessions.notifyCoordinators(of: events)
                        if events.count == limit { continue }
                    }
                }
                await bell.wait(after: eventGeneration)
            } else {
                listening = false
                await sessions.listenerBell.wait(after: listenerGeneration)
            }
        }
    }
}
