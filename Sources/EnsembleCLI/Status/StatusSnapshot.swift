import EnsembleCore
import Foundation

/// What `vibe-ensemble status` shows: open tickets, workers, the backlog and unprocessed events.
struct StatusSnapshot: Encodable {
    var databasePath: String
    var tickets: [Ticket]
    var workers: [WorkerReport]
    var backlog: [QueueTask]
    var unprocessedEvents: [Event]

    /// Reads a snapshot from `store`; spends no tokens and changes nothing.
    static func read(from store: any Repository, databasePath: String) async throws -> StatusSnapshot {
        StatusSnapshot(
            databasePath: databasePath,
            tickets: try await store.listTickets(in: nil, state: nil),
            workers: try await store.listWorkers(in: nil),
            backlog: try await store.queueOverview().backlog,
            unprocessedEvents: try await store.events(matching: EventQuery(limit: EventQuery.limitRange.upperBound))
        )
    }
}
