import EnsembleCore
import Foundation
import GRDB

/// Routing: how a queued task finds a worker, inside the transaction that queued it.
///
/// Preference order: a live worker of the task's type with an empty queue; else, with auto-spawn
/// on and fewer than `max_workers` alive, a finished worker re-spawned or a new `worker_<type>_<n>`;
/// else the live worker with the shortest queue; else the backlog, with a
/// `ticket_waiting_for_worker` event saying why. A type whose worker crash-looped is not
/// auto-spawned (that would loop again); the coordinator revives it with `spawn_worker`.
extension EnsembleDatabase {
    /// Queues stage `stage` of `ticket` and routes it.
    static func enqueueStage(_ db: Database, of ticket: Ticket, stage: Int, routing: RoutingPolicy) throws {
        try route(db, task: insertTask(db, of: ticket, stage: stage, queue: nil, routing: routing), routing: routing)
    }

    /// Inserts a queued task for stage `stage` of `ticket`, on `queue` or (when `nil`) unrouted.
    static func insertTask(_ db: Database, of ticket: Ticket, stage: Int, queue: QueueName?, routing: RoutingPolicy)
        throws -> TaskID
    {
        let now = Date()
        try db.execute(
            sql: """
                INSERT INTO tasks (project_id, worker_type, queue_name, ticket_id, stage, state, attempt, max_attempts,
                    priority, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?, ?)
                """,
            arguments: [
                ticket.projectId.rawValue, ticket.executionPlan[stage].rawValue, queue?.rawValue,
                ticket.ticketId.rawValue, stage, routing.maxAttempts, ticket.priority.rank, now, now,
            ]
        )
        return TaskID(db.lastInsertedRowID)
    }

    /// Discards the ticket's queued and claimed tasks; a worker holding one will find its claim gone.
    static func discardPendingTasks(_ db: Database, of ticket: TicketID, because reason: String) throws {
        try db.execute(
            sql: """
                UPDATE tasks SET state = 'discarded', last_error = ?, lease_expires_at = NULL, updated_at = ?
                WHERE ticket_id = ? AND state IN ('queued', 'claimed')
                """,
            arguments: [reason, Date(), ticket.rawValue]
        )
    }

    /// Routes one queued task that has no queue.
    static func route(_ db: Database, task id: TaskID, routing: RoutingPolicy) throws {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM tasks WHERE id = ?", arguments: [id.rawValue]) else {
            return
        }
        let task = try QueueTask(row: row)
        let workers = try Row.fetchAll(
            db,
            sql: "SELECT * FROM workers WHERE project_id = ? AND worker_type = ? ORDER BY worker_id",
            arguments: [task.projectId.rawValue, task.workerType.rawValue]
        ).map(Worker.init(row:))
        let live = try workers.filter(\.status.isRunning).map {
            ($0, try pendingCount(db, queue: $0.identity.queueName))
        }
        if let idle = live.first(where: { $0.1 == 0 }) {
            return try assign(db, task: id, to: idle.0.identity.queueName)
        }
        let maxWorkers = try fetchWorkerType(db, task.workerType, in: task.projectId)?.settings.maxWorkers ?? 1
        let hasFailed = workers.contains { $0.status == .failed && $0.autoSpawnBlocked }
        let runningEverywhere =
            try Int.fetchOne(
                db,
                sql: "SELECT COUNT(*) FROM workers WHERE status IN ('spawning', 'active', 'idle')"
            ) ?? 0
        let atGlobalCap = runningEverywhere >= routing.maxRunningWorkers
        if routing.autoSpawn, !hasFailed, !atGlobalCap, live.count < maxWorkers {
            let idle = workers.first { $0.status == .finished } ?? workers.first { $0.status == .failed }
            let worker = try idle?.id ?? createWorkerRow(db, project: task.projectId, type: task.workerType)
            try markSpawning(db, worker)
            return try assign(db, task: id, to: WorkerNaming.queueName(for: worker))
        }
        if let shortest = live.min(by: { $0.1 < $1.1 }) {
            return try assign(db, task: id, to: shortest.0.identity.queueName)
        }
        let reason =
            if !routing.autoSpawn {
                "no \(task.workerType) worker is running and auto-spawn is off: spawn one with spawn_worker"
            } else if hasFailed {
                "the \(task.workerType) worker kept failing: check list_workers and its log, then revive it with spawn_worker"
            } else if atGlobalCap {
                "\(runningEverywhere) workers already run, the server's --max-workers limit"
            } else {
                "no \(task.workerType) worker can take it yet"
            }
        try recordEvent(
            db,
            .ticketWaitingForWorker,
            project: task.projectId,
            ticket: task.ticketId,
            stage: task.stage,
            reason: reason,
            payload: ["worker_type": task.workerType.rawValue, "task_id": String(task.id.rawValue)]
        )
    }

    /// Moves the project's backlog for `worker`'s type onto its queue.
    static func adoptBacklog(_ db: Database, for worker: WorkerIdentity) throws {
        try db.execute(
            sql: """
                UPDATE tasks SET queue_name = ?, updated_at = ?
                WHERE project_id = ? AND worker_type = ? AND queue_name IS NULL AND state = 'queued'
                """,
            arguments: [
                worker.queueName.rawValue, Date(), worker.projectId.rawValue, worker.workerType.rawValue,
            ]
        )
    }

    /// Takes the queued tasks off `queue` and routes each again (its worker is gone or stopped).
    static func rerouteQueuedTasks(_ db: Database, from queue: QueueName, routing: RoutingPolicy) throws -> Int {
        let ids = try Int64.fetchAll(
            db,
            sql: "SELECT id FROM tasks WHERE queue_name = ? AND state = 'queued' ORDER BY priority DESC, id",
            arguments: [queue.rawValue]
        )
        try db.execute(
            sql: "UPDATE tasks SET queue_name = NULL, updated_at = ? WHERE queue_name = ? AND state = 'queued'",
            arguments: [Date(), queue.rawValue]
        )
        for id in ids {
            try route(db, task: TaskID(id), routing: routing)
        }
        return ids.count
    }

    /// How many tasks of `queue` are queued or claimed.
    static func pendingCount(_ db: Database, queue: QueueName) throws -> Int {
        try Int.fetchOne(
            db,
            sql: "SELECT COUNT(*) FROM tasks WHERE queue_name = ? AND state IN ('queued', 'claimed')",
            arguments: [queue.rawValue]
        ) ?? 0
    }

    /// Marks a worker to be started by the supervisor.
    static func markSpawning(_ db: Database, _ worker: WorkerID) throws {
        try db.execute(
            sql: """
                UPDATE workers SET status = 'spawning', status_reason = NULL, auto_spawn_blocked = 0, updated_at = ?
                WHERE worker_id = ?
                """,
            arguments: [Date(), worker.rawValue]
        )
    }

    /// Inserts a worker row for the next free `worker_<type>_<n>`, status `spawning`.
    static func createWorkerRow(_ db: Database, project: ProjectID, type: WorkerTypeName, id: WorkerID? = nil) throws
        -> WorkerID
    {
        let worker = try id ?? nextWorkerID(db, type: type)
        let now = Date()
        try db.execute(
            sql: """
                INSERT INTO workers (worker_id, project_id, worker_type, status, queue_name, created_at, updated_at)
                VALUES (?, ?, ?, 'spawning', ?, ?, ?)
                """,
            arguments: [
                worker.rawValue, project.rawValue, type.rawValue, WorkerNaming.queueName(for: worker).rawValue, now,
                now,
            ]
        )
        return worker
    }

    // MARK: - Private helpers

    private static func assign(_ db: Database, task: TaskID, to queue: QueueName) throws {
        try db.execute(
            sql: "UPDATE tasks SET queue_name = ?, updated_at = ? WHERE id = ?",
            arguments: [queue.rawValue, Date(), task.rawValue]
        )
    }

    /// Worker ids are global (they name log files and queues), so numbering spans projects.
    private static func nextWorkerID(_ db: Database, type: WorkerTypeName) throws -> WorkerID {
        let existing = try String.fetchAll(db, sql: "SELECT worker_id FROM workers").map(
            WorkerID.init(uncheckedRawValue:)
        )
        let highest = existing.compactMap { WorkerNaming.number(of: $0, type: type) }.max() ?? 0
        return WorkerNaming.workerID(type: type, number: highest + 1)
    }
}
