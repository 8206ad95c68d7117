import EnsembleCore
import GRDB

/// The rows routing works with: tasks and the worker rows routing creates or marks to start.
extension EnsembleDatabase {
    /// Inserts a queued task for stage `stage` of `ticket`, on `queue` or (when `nil`) the backlog.
    static func insertTask(_ db: Database, of ticket: Ticket, stage: Int, queue: QueueName?, maxAttempts: Int) throws
        -> TaskID
    {
        let now = try db.transactionDate
        try db.execute(
            cached: """
                INSERT INTO tasks (project_id, worker_type, queue_name, ticket_id, stage, state, attempt, max_attempts,
                    priority, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)
                """,
            arguments: [
                ticket.projectId.rawValue, ticket.executionPlan[stage].rawValue, queue?.rawValue,
                ticket.ticketId.rawValue, stage, TaskState.queued.rawValue, maxAttempts, ticket.priority.rank,
                now, now,
            ]
        )
        return TaskID(db.lastInsertedRowID)
    }

    /// Discards the ticket's queued and claimed tasks; a worker holding one will find its claim gone.
    static func discardPendingTasks(_ db: Database, of ticket: TicketID, because reason: String) throws {
        try db.execute(
            cached: """
                UPDATE tasks SET state = ?, last_error = ?, lease_expires_at = NULL, updated_at = ?
                WHERE ticket_id = ? AND state IN (?, ?)
                """,
            arguments: [
                TaskState.discarded.rawValue, reason, try db.transactionDate, ticket.rawValue,
                TaskState.queued.rawValue, TaskState.claimed.rawValue,
            ]
        )
    }

    /// How many tasks of `queue` are queued or claimed.
    static func pendingCount(_ db: Database, queue: QueueName) throws -> Int {
        try Int.fetchOne(
            db,
            cached: "SELECT COUNT(*) FROM tasks WHERE queue_name = ? AND state IN (?, ?)",
            arguments: [queue.rawValue, TaskState.queued.rawValue, TaskState.claimed.rawValue]
        ) ?? 0
    }

    /// Checks that one more worker may start: the server's cap (`--max-workers`) holds for every
    /// launch, the coordinator's too, not only automatic spawns.
    /// - Throws: `EnsembleError.workerCannotStart` when as many workers as the cap already run.
    static func requireCapacity(_ db: Database, for worker: WorkerID, policy: RoutingPolicy) throws {
        let statuses = WorkerStatus.running.map(\.rawValue)
        let running =
            try Int.fetchOne(
                db,
                cached:
                    "SELECT COUNT(*) FROM workers WHERE status IN (\(statuses.map { _ in "?" }.joined(separator: ", ")))",
                arguments: StatementArguments(statuses)
            ) ?? 0
        guard running < policy.maxRunningWorkers else {
            throw EnsembleError.workerCannotStart(
                worker,
                reason:
                    "the server already runs \(running) workers, its limit (--max-workers \(policy.maxRunningWorkers)); "
                    + "stop one with stop_worker, or restart the server with a higher limit"
            )
        }
    }

    /// Marks a worker to be started by the supervisor.
    static func markSpawning(_ db: Database, _ worker: WorkerID) throws {
        countSpawnMark(db)
        try db.execute(
            cached: """
                UPDATE workers SET status = ?, status_reason = NULL, auto_spawn_blocked = 0, updated_at = ?
                WHERE worker_id = ?
                """,
            arguments: [WorkerStatus.spawning.rawValue, try db.transactionDate, worker.rawValue]
        )
    }

    /// Inserts the row of worker `id`, status `spawning`.
    static func createWorkerRow(_ db: Database, project: ProjectID, type: WorkerTypeName, id: WorkerID) throws
        -> WorkerID
    {
        let now = try db.transactionDate
        countSpawnMark(db)
        try db.execute(
            cached: """
                INSERT INTO workers (worker_id, project_id, worker_type, status, queue_name, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                id.rawValue, project.rawValue, type.rawValue, WorkerStatus.spawning.rawValue,
                WorkerNaming.queueName(for: id).rawValue, now, now,
            ]
        )
        return id
    }
}
