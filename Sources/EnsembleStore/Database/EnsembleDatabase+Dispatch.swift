import EnsembleCore
import GRDB

/// The dispatch pass: the store's side of `Dispatch`, run at the end of every transaction that
/// can change capacity or state.
extension EnsembleDatabase {
    /// Routes every queued task that no running worker will claim, and moves waiting ones a
    /// worker could start on at once, as `Dispatch` decides.
    static func dispatch(_ db: Database, routing: RoutingPolicy) throws {
        var pool = try loadPool(db, routing: routing)
        let candidates = try fetchCandidates(db, Dispatch.candidates(in: pool))
        guard !candidates.isEmpty else { return }
        let tasks = Dictionary(uniqueKeysWithValues: candidates.map { ($0.id, $0) })
        for step in Dispatch.plan(candidates, pool: &pool) {
            guard let task = tasks[step.task], step.changes(task) else { continue }
            try apply(step, to: task, db)
        }
    }

    /// The queued tasks in `scope` (`Dispatch.Candidates.contains`), read through the partial
    /// indexes of queued tasks: a write reads what its pass may act on, not the whole backlog.
    ///
    /// The backlog is read by groups of one type, reason and pin (`tasks_backlog` holds them in
    /// that order, so grouping reads only the index), and only the groups a pass must see
    /// (`Dispatch.Candidates.readsBacklog`) are read in full: a backlog that waits for its type's
    /// reason costs a pass a walk of the index, no table row.
    static func fetchCandidates(_ db: Database, _ scope: Dispatch.Candidates) throws -> [QueueTask] {
        var tasks: [QueueTask] = []
        let groups = try Row.fetchAll(db, cached: backlogGroupsQuery) { group in
            (
                type: WorkerPool.TypeKey(
                    project: group.identifier("project_id"),
                    type: group.identifier("worker_type")
                ),
                reason: group["waiting_reason"] as String?,
                isPinned: group["pinned"] as Bool
            )
        }
        for (type, reason, isPinned) in groups {
            guard scope.readsBacklog(of: type, waitingFor: reason, isPinned: isPinned) else { continue }
            tasks += try Row.fetchAll(
                db,
                cached: backlogGroupQuery,
                arguments: [type.project.rawValue, type.type.rawValue, reason, isPinned],
                as: QueueTask.init(row:)
            )
        }
        let live = scope.liveQueues.map(\.rawValue).sorted()
        let movable = scope.movableTypes.map { typeKey($0.project.rawValue, $0.type.rawValue) }.sorted()
        tasks += try Row.fetchAll(
            db,
            cached: """
                SELECT * FROM tasks INDEXED BY tasks_queued
                WHERE state = 'queued' AND queue_name IS NOT NULL AND (
                    queue_name NOT IN (SELECT value FROM json_each(?))
                    OR (pinned = 0 AND project_id || char(10) || worker_type IN (SELECT value FROM json_each(?)))
                )
                """,
            arguments: [jsonText(live), jsonText(movable)],
            as: QueueTask.init(row:)
        )
        return tasks
    }

    /// The backlog's groups of one type, reason and pin, read from `tasks_backlog` alone.
    static let backlogGroupsQuery = """
        SELECT project_id, worker_type, waiting_reason, pinned FROM tasks INDEXED BY tasks_backlog
        WHERE state = 'queued' AND queue_name IS NULL
        GROUP BY project_id, worker_type, waiting_reason, pinned
        """

    /// The tasks of one group of `backlogGroupsQuery`, sought in `tasks_backlog`.
    static let backlogGroupQuery = """
        SELECT * FROM tasks INDEXED BY tasks_backlog
        WHERE state = 'queued' AND queue_name IS NULL
            AND project_id = ? AND worker_type = ? AND waiting_reason IS ? AND pinned = ?
        """

    /// A worker type of a project as one text, as `fetchCandidates` compares it.
    private static func typeKey(_ project: String, _ type: String) -> String { project + "\n" + type }

    /// Every worker with its queue length, and the caps of every worker type.
    static func loadPool(_ db: Database, routing: RoutingPolicy) throws -> WorkerPool {
        let pending = try Dictionary(
            uniqueKeysWithValues: Row.fetchAll(
                db,
                // Literal states, so the partial index of pending tasks applies.
                cached: """
                    SELECT queue_name, COUNT(*) AS n FROM tasks INDEXED BY tasks_pending_by_queue
                    WHERE state IN ('queued', 'claimed') AND queue_name IS NOT NULL GROUP BY queue_name
                    """
            ) { row -> (QueueName, Int) in (row.identifier("queue_name"), row["n"]) }
        )
        let workers = try Row.fetchAll(db, cached: "SELECT * FROM workers", as: Worker.init(row:))
        let caps = try Row.fetchAll(db, cached: "SELECT project_id, worker_type, max_workers FROM worker_types") {
            row -> (WorkerPool.TypeKey, Int) in
            (
                WorkerPool.TypeKey(project: row.identifier("project_id"), type: row.identifier("worker_type")),
                row["max_workers"]
            )
        }
        return WorkerPool(workers: workers, pendingTasks: pending, maxWorkers: Dictionary(caps) { $1 }, policy: routing)
    }

    // MARK: - Private helpers

    private static func apply(_ step: Dispatch.Step, to task: QueueTask, _ db: Database) throws {
        switch step.decision {
        case .assign(let queue):
            try place(task.id, on: queue, db)
        case .spawn(let worker, let isNew):
            if isNew {
                _ = try createWorkerRow(db, project: task.projectId, type: task.workerType, id: worker)
            } else {
                try markSpawning(db, worker)
            }
            try place(task.id, on: WorkerNaming.queueName(for: worker), db)
        case .wait(let reason):
            try db.execute(
                cached:
                    "UPDATE tasks SET queue_name = NULL, waiting_reason = ?, pinned = 0, updated_at = ? WHERE id = ?",
                arguments: [reason.description, try db.transactionDate, task.id.rawValue]
            )
            guard step.recordsEvent else { return }
            try recordEvent(
                db,
                .ticketWaitingForWorker,
                project: task.projectId,
                ticket: task.ticketId,
                stage: task.stage,
                reason: reason.description,
                payload: ["worker_type": task.workerType.rawValue, "task_id": String(task.id.rawValue)]
            )
        }
    }

    private static func place(_ task: TaskID, on queue: QueueName, _ db: Database) throws {
        try db.execute(
            cached: "UPDATE tasks SET queue_name = ?, waiting_reason = NULL, pinned = 0, updated_at = ? WHERE id = ?",
            arguments: [queue.rawValue, try db.transactionDate, task.rawValue]
        )
    }
}
