import EnsembleCore
import GRDB

/// Applying what the ticket rules (`StageProgression`) return.
extension EnsembleDatabase {
    /// Applies `effects` to `ticket` in order; events name `worker` when one caused them.
    ///
    /// Queued stages are left on the backlog: the dispatch pass that ends the transaction routes them.
    /// Closing a ticket settles the tickets that depend on it (`settleDependents`) after its own
    /// effects, so their events follow its own.
    static func apply(
        _ effects: [TicketEffect],
        to ticket: Ticket,
        by worker: WorkerID? = nil,
        routing: RoutingPolicy,
        _ db: Database
    ) throws {
        let id = ticket.ticketId.rawValue
        let now = try db.transactionDate
        var closes = false
        for effect in effects {
            switch effect {
            case .discardLiveTasks(let reason):
                try discardPendingTasks(db, of: ticket.ticketId, because: reason)
            case .move(let stage, let lastCompleted, let rounds):
                try db.execute(
                    cached: """
                        UPDATE tickets SET current_stage = ?, last_completed_stage = ?, rework_rounds = ?, state = ?,
                            updated_at = ?
                        WHERE ticket_id = ?
                        """,
                    arguments: [stage, lastCompleted, rounds, TicketState.open.rawValue, now, id]
                )
                if ticket.state == .merging {
                    // Out of the merge queue: what it noted about this merge no longer holds.
                    try db.execute(
                        cached: "UPDATE worktrees SET merge_note = NULL, merged_commit = NULL WHERE ticket_id = ?",
                        arguments: [id]
                    )
                }
            case .enqueue(let stage):
                _ = try insertTask(db, of: ticket, stage: stage, queue: nil, maxAttempts: routing.maxAttempts)
            case .close(let resolution, let reason, let lastCompleted):
                try db.execute(
                    cached: """
                        UPDATE tickets SET state = ?, resolution = ?, close_reason = ?, last_completed_stage = ?,
                            closed_at = ?, updated_at = ?
                        WHERE ticket_id = ?
                        """,
                    arguments: [TicketState.closed.rawValue, resolution.rawValue, reason, lastCompleted, now, now, id]
                )
                closes = true
            case .hold:
                try db.execute(
                    cached: "UPDATE tickets SET state = ?, updated_at = ? WHERE ticket_id = ?",
                    arguments: [TicketState.onHold.rawValue, now, id]
                )
            case .awaitMerge(let lastCompleted):
                try db.execute(
                    cached:
                        "UPDATE tickets SET state = ?, last_completed_stage = ?, updated_at = ? WHERE ticket_id = ?",
                    arguments: [TicketState.merging.rawValue, lastCompleted, now, id]
                )
            case .block:
                try db.execute(
                    cached: "UPDATE tickets SET state = ?, updated_at = ? WHERE ticket_id = ?",
                    arguments: [TicketState.blocked.rawValue, now, id]
                )
            case .record(let event):
                try recordEvent(
                    db,
                    event.type,
                    project: ticket.projectId,
                    ticket: ticket.ticketId,
                    worker: worker,
                    stage: event.stage,
                    reason: event.reason,
                    payload: event.payload
                )
            }
        }
        if closes {
            try settleDependents(of: ticket.ticketId, routing: routing, db)
        }
    }
}
