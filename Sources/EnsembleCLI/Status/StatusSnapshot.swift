import EnsembleCore
import Foundation

/// What `vibe-ensemble status` shows: open tickets, workers, the backlog and unprocessed events.
struct StatusSnapshot: Encodable {
    var databasePath: String
    var tickets: [Ticket]
    var workers: [WorkerReport]
    var backlog: [QueueTask]
    var unprocessedEvents: [Event]
    /// What each blocked ticket waits for.
    var blocked: [BlockedTicket] = []
    /// The tickets' worktrees: where each works, and why a merge waits.
    var worktrees: [Worktree] = []

    /// A blocked ticket and the dependencies it still waits for.
    struct BlockedTicket: Encodable {
        var ticketId: TicketID
        var waitsFor: [DependencyStatus]
    }

    /// Reads a snapshot from `store`; spends no tokens and changes nothing.
    static func read(from store: any Repository, databasePath: String) async throws -> StatusSnapshot {
        let tickets = try await store.listTickets(in: nil, state: nil)
        var blocked: [BlockedTicket] = []
        for ticket in tickets where ticket.state == .blocked {
            let open = try await store.dependencies(of: ticket.ticketId).dependsOn.filter { $0.state != .closed }
            blocked.append(BlockedTicket(ticketId: ticket.ticketId, waitsFor: open))
        }
        return StatusSnapshot(
            databasePath: databasePath,
            tickets: tickets,
            workers: try await store.listWorkers(in: nil),
            backlog: try await store.queueOverview().backlog,
            unprocessedEvents: try await store.events(matching: EventQuery(limit: EventQuery.limitRange.upperBound)),
            blocked: blocked,
            worktrees: try await store.worktrees()
        )
    }
}
