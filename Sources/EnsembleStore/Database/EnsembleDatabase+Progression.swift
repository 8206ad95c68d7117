import EnsembleCore
import Foundation
import GRDB

/// Automatic stage progression: where a ticket goes once a worker completes its stage.
extension EnsembleDatabase {
    /// Moves `ticket` on from `stage` according to the completion's outcome, routing the next
    /// stage and recording the events, inside the completion's transaction.
    static func advance(
        _ ticket: Ticket,
        from task: QueueTask,
        completion: StageCompletion,
        worker: WorkerID,
        routing: RoutingPolicy,
        _ db: Database
    ) throws -> StageCompletionResult {
        let now = Date()
        let id = ticket.ticketId
        let stage = task.stage
        let payload = ["task_id": String(task.id.rawValue), "worker_type": task.workerType.rawValue]
        func result(_ state: TicketState, next: Int?) -> StageCompletionResult {
            StageCompletionResult(
                ticketId: id,
                outcome: completion.outcome,
                completedStage: stage,
                state: state,
                nextStage: next,
                nextWorkerType: next.map { ticket.executionPlan[$0] }
            )
        }
        switch completion.outcome {
        case .nextStage:
            try recordEvent(
                db,
                .ticketStageCompleted,
                project: ticket.projectId,
                ticket: id,
                worker: worker,
                stage: stage,
                reason: completion.reason,
                payload: payload
            )
            let next = stage + 1
            guard next < ticket.executionPlan.count else {
                try db.execute(
                    sql: """
                        UPDATE tickets SET state = 'closed', resolution = 'completed', last_completed_stage = ?,
                            closed_at = ?, updated_at = ?
                        WHERE ticket_id = ?
                        """,
                    arguments: [stage, now, now, id.rawValue]
                )
                try recordEvent(
                    db,
                    .ticketCompleted,
                    project: ticket.projectId,
                    ticket: id,
                    worker: worker,
                    stage: stage,
                    reason: "all \(ticket.executionPlan.count) stages completed",
                    payload: payload
                )
                return result(.closed, next: nil)
            }
            try moveTicket(db, id, to: next, lastCompleted: stage)
            try enqueueStage(db, of: ticket, stage: next, routing: routing)
            return result(.open, next: next)
        case .prevStage:
            let previous = stage - 1
            try moveTicket(db, id, to: previous, lastCompleted: ticket.lastCompletedStage)
            try recordEvent(
                db,
                .ticketSentBack,
                project: ticket.projectId,
                ticket: id,
                worker: worker,
                stage: stage,
                reason: completion.reason ?? "sent back for rework",
                payload: payload.merging(["to_stage": String(previous)]) { $1 }
            )
            try enqueueStage(db, of: ticket, stage: previous, routing: routing)
            return result(.open, next: previous)
        case .needsAttention:
            try db.execute(
                sql: "UPDATE tickets SET state = 'on_hold', updated_at = ? WHERE ticket_id = ?",
                arguments: [now, id.rawValue]
            )
            try recordEvent(
                db,
                .ticketNeedsAttention,
                project: ticket.projectId,
                ticket: id,
                worker: worker,
                stage: stage,
                reason: completion.reason ?? "the worker asked for the coordinator's attention",
                payload: payload
            )
            return result(.onHold, next: nil)
        }
    }

    private static func moveTicket(_ db: Database, _ id: TicketID, to stage: Int, lastCompleted: Int?) throws {
        try db.execute(
            sql: """
                UPDATE tickets SET current_stage = ?, last_completed_stage = ?, state = 'open', updated_at = ?
                WHERE ticket_id = ?
                """,
            arguments: [stage, lastCompleted, Date(), id.rawValue]
        )
    }
}
