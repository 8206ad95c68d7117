import EnsembleCore
import Foundation
import GRDB

/// Releasing claims a worker can no longer finish: back to the queue, or discarded for good.
extension EnsembleDatabase {
    /// Releases every claim `worker` holds.
    /// - Returns: How many claims were released.
    @discardableResult
    static func releaseClaims(_ db: Database, of worker: WorkerID, because reason: String) throws -> Int {
        let tasks = try Row.fetchAll(
            db,
            sql: "SELECT * FROM tasks WHERE claimed_by = ? AND state = 'claimed' ORDER BY id",
            arguments: [worker.rawValue]
        ).map(QueueTask.init(row:))
        for task in tasks {
            try releaseClaim(db, task, because: reason)
        }
        return tasks.count
    }

    /// Returns a claimed task to its queue, or discards it once it has used all its attempts.
    ///
    /// A discarded task holds its ticket. Either way the history keeps why, and an event tells
    /// the coordinator.
    static func releaseClaim(_ db: Database, _ task: QueueTask, because reason: String) throws {
        let now = Date()
        let exhausted = task.attempt >= task.maxAttempts
        try db.execute(
            sql: """
                UPDATE tasks SET state = ?, claimed_by = NULL, lease_expires_at = NULL, last_error = ?,
                    error_history = json_insert(error_history, '$[#]', ?), updated_at = ?
                WHERE id = ?
                """,
            arguments: [
                exhausted ? "discarded" : "queued", reason, "attempt \(task.attempt): \(reason)", now, task.id.rawValue,
            ]
        )
        if exhausted {
            try db.execute(
                sql: "UPDATE tickets SET state = 'on_hold', updated_at = ? WHERE ticket_id = ? AND state != 'closed'",
                arguments: [now, task.ticketId.rawValue]
            )
        } else {
            try db.execute(
                sql: "UPDATE tickets SET state = 'open', updated_at = ? WHERE ticket_id = ? AND state = 'in_progress'",
                arguments: [now, task.ticketId.rawValue]
            )
        }
        try recordEvent(
            db,
            exhausted ? .taskDiscarded : .taskRequeued,
            project: task.projectId,
            ticket: task.ticketId,
            worker: task.claimedBy,
            stage: task.stage,
            reason: exhausted
                ? "\(reason); discarded after \(task.attempt) attempts, ticket put on hold" : reason,
            payload: [
                "task_id": String(task.id.rawValue), "attempt": String(task.attempt),
                "queue_name": task.queueName?.rawValue ?? "",
            ]
        )
    }
}
