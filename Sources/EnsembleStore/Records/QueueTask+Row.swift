import EnsembleCore
import GRDB

extension QueueTask {
    /// Reads a row of `tasks`.
    init(row: Row) throws {
        let rank: Int = row["priority"]
        self.init(
            id: TaskID(row["id"]),
            projectId: row.identifier("project_id"),
            workerType: row.identifier("worker_type"),
            queueName: row.optionalIdentifier("queue_name"),
            ticketId: row.identifier("ticket_id"),
            stage: row["stage"],
            state: try row.enumeration("state", in: "tasks"),
            attempt: row["attempt"],
            maxAttempts: row["max_attempts"],
            claimedBy: row.optionalIdentifier("claimed_by"),
            leaseExpiresAt: row.optionalDate("lease_expires_at"),
            priority: TicketPriority.allCases.first { $0.rank == rank } ?? .medium,
            failures: row["failures"],
            lastError: row["last_error"],
            waitingReason: row["waiting_reason"],
            isPinned: row["pinned"],
            createdAt: row.date("created_at"),
            updatedAt: row.date("updated_at")
        )
    }
}
