import EnsembleCore
import GRDB

/// Releasing claims a worker can no longer finish, as `ClaimRelease` decides: back to the queue,
/// or discarded once the work failed too often.
extension EnsembleDatabase {
    /// Releases every claim `worker` holds.
    /// - Returns: How many claims were released.
    @discardableResult
    static func releaseClaims(_ db: Database, of worker: WorkerID, because cause: ReleaseCause) throws -> Int {
        let tasks = try Row.fetchAll(
            db,
            sql: "SELECT * FROM tasks WHERE claimed_by = ? AND state = ? ORDER BY id",
            arguments: [worker.rawValue, TaskState.claimed.rawValue]
        ).map(QueueTask.init(row:))
        for task in tasks {
            try releaseClaim(db, task, because: cause)
        }
        return tasks.count
    }

    /// Returns a claimed task to its queue, or discards it once its failures reach its attempts.
    ///
    /// A discarded task holds its ticket. Either way the history keeps why, and an event tells
    /// the coordinator. A task whose queue has no running worker any more is routed by the
    /// dispatch pass that ends the transaction.
    static func releaseClaim(_ db: Database, _ task: QueueTask, because cause: ReleaseCause) throws {
        let now = try db.transactionDate
        let release = ClaimRelease(of: task, cause: cause)
        try db.execute(
            sql: """
                UPDATE tasks SET state = ?, failures = ?, claimed_by = NULL, lease_expires_at = NULL, last_error = ?,
                    error_history = json_insert(error_history, '$[#]', ?), updated_at = ?
                WHERE id = ?
                """,
            arguments: [
                (release.isDiscarded ? TaskState.discarded : TaskState.queued).rawValue, release.failures,
                cause.reason, "attempt \(task.attempt): \(cause.reason)", now, task.id.rawValue,
            ]
        )
        let (from, to): (TicketState, TicketState) = release.isDiscarded ? (.inProgress, .onHold) : (.inProgress, .open)
        try db.execute(
            sql: "UPDATE tickets SET state = ?, updated_at = ? WHERE ticket_id = ? AND state IN (?, ?)",
            arguments: [to.rawValue, now, task.ticketId.rawValue, from.rawValue, TicketState.open.rawValue]
        )
        try recordEvent(
            db,
            release.event,
            project: task.projectId,
            ticket: task.ticketId,
            worker: task.claimedBy,
            stage: task.stage,
            reason: release.reason,
            payload: [
                "task_id": String(task.id.rawValue), "attempt": String(task.attempt),
                "failures": String(release.failures), "queue_name": task.queueName?.rawValue ?? "",
            ]
        )
    }
}
