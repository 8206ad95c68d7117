package import EnsembleCore
import Foundation
import GRDB

/// Claims: handing out tasks with leases, accepting completions fenced by claim, and releasing
/// claims a worker can no longer finish, as `ClaimRelease` decides (back to the queue, or
/// discarded once the work failed too often).
extension EnsembleDatabase {
    package func claimNextTask(in queue: QueueName, by worker: WorkerID) async throws -> ClaimedTask? {
        let routing = routing
        return try await write { db in try Self.claim(in: queue, by: worker, routing: routing, db) }
    }

    package func claimTaskForRun(_ worker: WorkerID) async throws -> ClaimedTask? {
        let routing = routing
        return try await write { db in
            let queue = try Self.requireWorker(db, worker).identity.queueName
            // A run starts for a task of its own: what an earlier run left claimed goes back first.
            try db.execute(
                cached: "UPDATE workers SET run_task_id = NULL WHERE worker_id = ?",
                arguments: [worker.rawValue]
            )
            guard let task = try Self.claim(in: queue, by: worker, routing: routing, db) else { return nil }
            try db.execute(
                cached: "UPDATE workers SET run_task_id = ? WHERE worker_id = ?",
                arguments: [task.taskId.rawValue, worker.rawValue]
            )
            return task
        }
    }

    /// Claims the next task of `queue` for `worker`, or gives back the claim it holds.
    ///
    /// A run started for one task (`workers.run_task_id`) gets that task and nothing after it:
    /// once it is completed, the queue is empty for that run, and the supervisor starts the
    /// next task in a fresh session.
    private static func claim(in queue: QueueName, by worker: WorkerID, routing: RoutingPolicy, _ db: Database)
        throws -> ClaimedTask?
    {
        let owner = try Self.requireQueueOwner(db, queue)
        let now = try db.transactionDate
        // One task at a time: asking again while holding a claim from this queue gets that claim
        // back (the coordinator's claims have left the queue; `claimed_from` remembers it).
        if let held = try Row.fetchOne(
            db,
            cached: """
                SELECT * FROM tasks WHERE (queue_name = ? OR claimed_from = ?) AND claimed_by = ? AND state = ?
                ORDER BY id
                """,
            arguments: [queue.rawValue, queue.rawValue, worker.rawValue, TaskState.claimed.rawValue]
        ) {
            let task = try QueueTask(row: held)
            let ticket = try Self.requireTicket(db, task.ticketId)
            return ClaimedTask(
                taskId: task.id,
                attempt: task.attempt,
                ticketId: task.ticketId,
                stage: task.stage,
                workerType: task.workerType,
                title: ticket.title,
                leaseExpiresAt: task.leaseExpiresAt ?? now
            )
        }
        if worker == owner.id,
            try Int64.fetchOne(
                db,
                cached: "SELECT run_task_id FROM workers WHERE worker_id = ?",
                arguments: [worker.rawValue]
            ) != nil
        {
            return nil
        }
        let row = try Row.fetchOne(
            db,
            cached: """
                SELECT tasks.* FROM tasks JOIN tickets USING (ticket_id)
                WHERE tasks.queue_name = ? AND tasks.state = ? AND tickets.state != ?
                ORDER BY tasks.priority DESC, tasks.id LIMIT 1
                """,
            arguments: [queue.rawValue, TaskState.queued.rawValue, TicketState.closed.rawValue]
        )
        guard let task = try row.map(QueueTask.init(row:)) else {
            guard worker == owner.id else { return nil }
            try db.execute(
                cached: "UPDATE workers SET status = ?, updated_at = ? WHERE worker_id = ? AND status = ?",
                arguments: [WorkerStatus.idle.rawValue, now, owner.id.rawValue, WorkerStatus.active.rawValue]
            )
            return nil
        }
        let timeout =
            try Self.fetchWorkerType(db, task.workerType, in: task.projectId)?.settings.stageTimeoutSeconds
            ?? WorkerTypeSettings.defaultStageTimeoutSeconds
        let lease = now.addingTimeInterval(TimeInterval(timeout))
        try db.execute(
            cached: """
                UPDATE tasks SET state = ?, attempt = attempt + 1, claimed_by = ?, lease_expires_at = ?,
                    queue_name = ?, claimed_from = ?, updated_at = ?
                WHERE id = ?
                """,
            // A claim by anyone but the queue's worker (the coordinator) leaves the queue: the
            // worker must not wait for it, and when its lease ends dispatch routes it afresh.
            arguments: [
                TaskState.claimed.rawValue, worker.rawValue, lease,
                worker == owner.id ? queue.rawValue : nil, worker == owner.id ? nil : queue.rawValue, now,
                task.id.rawValue,
            ]
        )
        if worker != owner.id {
            // The queue got shorter: what waited behind may now start elsewhere.
            try Self.dispatch(db, routing: routing)
        }
        try db.execute(
            cached: "UPDATE tickets SET state = ?, updated_at = ? WHERE ticket_id = ? AND state = ?",
            arguments: [TicketState.inProgress.rawValue, now, task.ticketId.rawValue, TicketState.open.rawValue]
        )
        try db.execute(
            cached: "UPDATE workers SET status = ?, last_activity = ?, updated_at = ? WHERE worker_id = ? "
                + "AND status IN (?, ?)",
            arguments: [
                WorkerStatus.active.rawValue, now, now, worker.rawValue, WorkerStatus.idle.rawValue,
                WorkerStatus.active.rawValue,
            ]
        )
        let ticket = try Self.requireTicket(db, task.ticketId)
        return ClaimedTask(
            taskId: task.id,
            attempt: task.attempt + 1,
            ticketId: task.ticketId,
            stage: task.stage,
            workerType: task.workerType,
            title: ticket.title,
            leaseExpiresAt: lease
        )
    }

    package func completeStage(_ completion: StageCompletion, by worker: WorkerID) async throws
        -> StageCompletionResult
    {
        let routing = routing
        return try await settle { db in
            let ticket = try Self.requireOpenTicket(db, completion.ticketId)
            let task = try Self.requireClaim(db, for: completion, by: worker)
            if completion.outcome == .prevStage, task.stage == 0 {
                throw EnsembleError.noPreviousStage(ticket.ticketId)
            }
            let created = try Self.createTickets(
                completion.newTickets,
                declaredIn: ticket,
                by: worker,
                of: task.workerType,
                routing: routing,
                db
            )
            let now = try db.transactionDate
            _ = try Self.insertComment(
                db,
                ticket: ticket.ticketId,
                type: task.workerType,
                worker: worker,
                stage: task.stage,
                content: completion.report
            )
            try db.execute(
                cached:
                    "UPDATE tasks SET state = ?, lease_expires_at = NULL, result_commit = ?, updated_at = ? WHERE id = ?",
                arguments: [TaskState.done.rawValue, completion.resultCommit, now, task.id.rawValue]
            )
            // Progress, for the crash-loop rule: a completion the store accepted.
            try db.execute(
                cached:
                    "UPDATE workers SET run_completions = run_completions + 1, quick_failures = 0 WHERE worker_id = ?",
                arguments: [worker.rawValue]
            )
            let effects = StageProgression.completion(
                of: ticket,
                stage: task.stage,
                task: task.id,
                outcome: completion.outcome,
                reason: completion.reason,
                // Only a ticket whose stages ran in a worktree has a branch to merge (not one a
                // per_queue worker or the coordinator did in the project's directory).
                merges: try Bool.fetchOne(
                    db,
                    cached: "SELECT 1 FROM worktrees WHERE ticket_id = ?",
                    arguments: [ticket.ticketId.rawValue]
                ) ?? false
            )
            try Self.apply(effects, to: ticket, by: worker, routing: routing, db)
            let moved = try Self.requireTicket(db, ticket.ticketId)
            let isMoving = moved.state == .open && effects.contains { if case .enqueue = $0 { true } else { false } }
            return StageCompletionResult(
                ticketId: moved.ticketId,
                outcome: completion.outcome,
                completedStage: task.stage,
                state: moved.state,
                nextStage: isMoving ? moved.currentStage : nil,
                nextWorkerType: isMoving ? moved.currentWorkerType : nil,
                createdTickets: try created.map { ticket in
                    // The completion may have unblocked them (when they depend on the ticket it closed).
                    var now = ticket
                    now.state = try Self.requireTicket(db, ticket.ticketId).state
                    return now
                }
            )
        }
    }

    package func rescueExpiredClaims() async throws -> Int {
        try await settle { db in
            let running = WorkerStatus.running.map(\.rawValue)
            // A claim held by a worker whose process runs is never taken from under it: the
            // watchdog, not the lease, decides when such a worker is stuck.
            let expired = try Row.fetchAll(
                db,
                cached: """
                    SELECT tasks.* FROM tasks LEFT JOIN workers ON workers.worker_id = tasks.claimed_by
                    WHERE tasks.state = ? AND (tasks.lease_expires_at < ? OR tasks.lease_expires_at IS NULL)
                      AND (workers.worker_id IS NULL OR workers.status NOT IN (\(databaseQuestionMarks(count: running.count))))
                    ORDER BY tasks.id
                    """,
                arguments: [TaskState.claimed.rawValue, try db.transactionDate] + StatementArguments(running),
                as: QueueTask.init(row:)
            )
            for task in expired {
                try Self.releaseClaim(
                    db,
                    task,
                    because: .workFailed("its lease expired while \(task.claimedBy?.rawValue ?? "a worker") held it")
                )
            }
            return expired.count
        }
    }

    /// Releases every claim `worker` holds.
    /// - Returns: How many claims were released.
    @discardableResult
    static func releaseClaims(_ db: Database, of worker: WorkerID, because cause: ReleaseCause) throws -> Int {
        let tasks = try Row.fetchAll(
            db,
            cached: "SELECT * FROM tasks WHERE claimed_by = ? AND state = ? ORDER BY id",
            arguments: [worker.rawValue, TaskState.claimed.rawValue],
            as: QueueTask.init(row:)
        )
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
            cached: """
                UPDATE tasks SET state = ?, failures = ?, claimed_by = NULL, claimed_from = NULL, lease_expires_at = NULL,
                    last_error = ?,
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
            cached: "UPDATE tickets SET state = ?, updated_at = ? WHERE ticket_id = ? AND state IN (?, ?)",
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

    // MARK: - Private helpers

    /// The task a completion refers to, checked to be `worker`'s current claim (fencing).
    private static func requireClaim(_ db: Database, for completion: StageCompletion, by worker: WorkerID) throws
        -> QueueTask
    {
        guard
            let row = try Row.fetchOne(
                db,
                cached: "SELECT * FROM tasks WHERE id = ?",
                arguments: [completion.taskId.rawValue]
            )
        else {
            throw EnsembleError.taskNotFound(completion.taskId)
        }
        let task = try QueueTask(row: row)
        guard task.ticketId == completion.ticketId else {
            throw EnsembleError.taskOfOtherTicket(task.id, completion.ticketId)
        }
        guard task.state == .claimed else {
            throw EnsembleError.taskNotClaimed(task.id, state: task.state)
        }
        guard task.claimedBy == worker else {
            throw EnsembleError.staleClaim(task.id, reason: "it is claimed by \(task.claimedBy?.rawValue ?? "nobody")")
        }
        if let attempt = completion.attempt, attempt != task.attempt {
            throw EnsembleError.staleClaim(task.id, reason: "attempt \(task.attempt) is current, not \(attempt)")
        }
        return task
    }
}
