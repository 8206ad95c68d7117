package import EnsembleCore
import Foundation
import GRDB
import Synchronization

extension EnsembleDatabase: WorkerStore {
    package func requestWorker(_ id: WorkerID, project: ProjectID, type: WorkerTypeName) async throws -> Worker {
        let routing = routing
        return try await settle { db in
            _ = try Self.requireProject(db, project)
            _ = try Self.requireWorkerType(db, type, in: project)
            try WorkerNaming.validate(id, type: type)
            if let existing = try Self.fetchWorker(db, id) {
                guard existing.identity.projectId == project, existing.identity.workerType == type else {
                    throw EnsembleError.invalidArgument(
                        "Worker '\(id)' already exists for project '\(existing.identity.projectId)' and type "
                            + "'\(existing.identity.workerType)'. Choose another worker_id."
                    )
                }
                guard !existing.status.isRunning else { throw EnsembleError.workerAlreadyRunning(id) }
                try Self.requireCapacity(db, for: id, policy: routing)
                try Self.markSpawning(db, id)
                // Revived by the coordinator: earlier failures are forgiven.
                try db.execute(
                    cached: "UPDATE workers SET quick_failures = 0 WHERE worker_id = ?",
                    arguments: [id.rawValue]
                )
            } else {
                try Self.requireCapacity(db, for: id, policy: routing)
                _ = try Self.createWorkerRow(db, project: project, type: type, id: id)
            }
            return try Self.requireWorker(db, id)
        }
    }

    package func workerReport(_ id: WorkerID) async throws -> WorkerReport {
        try await read { db in
            let worker = try Self.requireWorker(db, id)
            return WorkerReport(worker: worker, queue: try Self.queueCounts(db, queue: worker.identity.queueName))
        }
    }

    package func listWorkers(in project: ProjectID?) async throws -> [WorkerReport] {
        try await read { db in
            let rows: [Row]
            if let project {
                _ = try Self.requireProject(db, project)
                rows = try Row.fetchAll(
                    db,
                    cached: "SELECT * FROM workers WHERE project_id = ? ORDER BY worker_id",
                    arguments: [project.rawValue]
                )
            } else {
                rows = try Row.fetchAll(db, cached: "SELECT * FROM workers ORDER BY worker_id")
            }
            return try rows.map(Worker.init(row:)).map {
                WorkerReport(worker: $0, queue: try Self.queueCounts(db, queue: $0.identity.queueName))
            }
        }
    }

    package var spawnMarks: Int { Self.spawnMarkCount.load(ordering: .acquiring) }

    /// Counts a mark of a worker to start (`spawnMarks`) once `db`'s transaction commits.
    ///
    /// A look that sees the count then sees the worker. Counted before the commit, a look in between
    /// would take the new count for seen without finding the worker, and the launch would wait
    /// for the maintenance pass. A mark whose savepoint rolls back inside a committed group
    /// costs one needless look.
    ///
    /// One count for the process: stores opened side by side (tests) only look more often.
    static func countSpawnMark(_ db: Database) {
        db.afterNextTransaction(onCommit: { _ in spawnMarkCount.add(1, ordering: .releasing) })
    }

    private static let spawnMarkCount = Atomic<Int>(0)

    package func pendingLaunches() async throws -> [WorkerLaunchPlan] {
        try await read { db in
            try Row.fetchAll(
                db,
                cached: "SELECT * FROM workers WHERE status = ? ORDER BY worker_id",
                arguments: [WorkerStatus.spawning.rawValue],
                as: Worker.init(row:)
            )
            .compactMap { worker in
                // A worker whose type is gone cannot start; the others must not wait for it.
                let identity = worker.identity
                guard let type = try Self.fetchWorkerType(db, identity.workerType, in: identity.projectId),
                    let project = try Self.fetchProject(db, identity.projectId)
                else { return nil }
                let types = try String.fetchAll(
                    db,
                    cached: "SELECT worker_type FROM worker_types WHERE project_id = ? ORDER BY worker_type",
                    arguments: [identity.projectId.rawValue]
                ).map(WorkerTypeName.init(uncheckedRawValue:))
                return WorkerLaunchPlan(worker: worker, workerType: type, project: project, projectWorkerTypes: types)
            }
        }
    }

    package func workersRecordedRunning() async throws -> [Worker] {
        try await read { db in
            let statuses = WorkerStatus.running.map(\.rawValue)
            return try Row.fetchAll(
                db,
                cached: "SELECT * FROM workers WHERE status IN (\(databaseQuestionMarks(count: statuses.count)))",
                arguments: StatementArguments(statuses),
                as: Worker.init(row:)
            )
        }
    }

    package func recordLaunchIntent(_ id: WorkerID, runID: String, task: ClaimedTask?) async throws {
        try await write(ringsBell: false) { db in
            try db.execute(
                cached: "UPDATE workers SET session_id = ?, pid = NULL WHERE worker_id = ? AND status = ?",
                arguments: [runID, id.rawValue, WorkerStatus.spawning.rawValue]
            )
            guard db.changesCount > 0 else { return }
            let worker = try Self.requireWorker(db, id)
            try db.execute(
                cached: """
                    INSERT INTO runs (run_id, project_id, worker_id, worker_type, task_id, ticket_id, stage, started_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    runID, worker.identity.projectId.rawValue, id.rawValue, worker.identity.workerType.rawValue,
                    task?.taskId.rawValue, task?.ticketId.rawValue, task?.stage, try db.transactionDate,
                ]
            )
        }
    }

    package func recordLaunch(_ id: WorkerID, _ launch: ProcessLaunch) async throws -> Bool {
        try await write { db in
            let worker = try Self.requireWorker(db, id)
            let now = try db.transactionDate
            try db.execute(
                cached: """
                    UPDATE workers SET status = ?, status_reason = NULL, pid = ?, process_started_at = ?,
                        session_id = ?, log_path = ?, started_at = ?, last_activity = ?, exit_code = NULL,
                        exit_signal = NULL, run_count = run_count + 1, run_completions = 0, updated_at = ?
                    WHERE worker_id = ? AND status = ?
                    """,
                arguments: [
                    WorkerStatus.active.rawValue, launch.pid, launch.processStartedAt, launch.sessionId, launch.logPath,
                    now, now, now, id.rawValue, WorkerStatus.spawning.rawValue,
                ]
            )
            guard db.changesCount > 0 else { return false }
            try db.execute(
                cached: "UPDATE runs SET log_path = ? WHERE run_id = ?",
                arguments: [launch.logPath, launch.sessionId]
            )
            // A per-task worker starts a run for each task; only the first of a streak is news.
            guard !launch.continuesStreak else { return true }
            try Self.recordEvent(
                db,
                .workerSpawned,
                project: worker.identity.projectId,
                worker: id,
                payload: [
                    "pid": String(launch.pid), "queue_name": worker.identity.queueName.rawValue,
                    "run": String(worker.process.runCount + 1), "log_path": launch.logPath,
                ]
            )
            return true
        }
    }

    package func recordActivity(_ id: WorkerID, leaseSeconds: Int) async throws {
        // Frequent and event-free: waiters for events have nothing new to look at.
        try await write(ringsBell: false) { db in
            let now = try db.transactionDate
            try db.execute(
                cached: "UPDATE workers SET last_activity = ?, updated_at = ? WHERE worker_id = ?",
                arguments: [now, now, id.rawValue]
            )
            // A worker that is visibly working keeps its claims: the lease runs the watchdog's timeout.
            try db.execute(
                cached: "UPDATE tasks SET lease_expires_at = ? WHERE claimed_by = ? AND state = ?",
                arguments: [
                    now.addingTimeInterval(TimeInterval(leaseSeconds)), id.rawValue, TaskState.claimed.rawValue,
                ]
            )
        }
    }

    package func recordExit(_ id: WorkerID, exit: WorkerExit, cause: ExitCause, lifecycle: WorkerLifecycle)
        async throws -> WorkerLifecycle.Decision?
    {
        try await settle { db in
            let worker = try Self.requireWorker(db, id)
            guard cause.applies(to: worker.status) else { return nil }
            try Self.releaseClaims(db, of: id, because: cause.releaseCause(of: id, exit: exit))
            try Self.addUsage(db, id, exit)
            try Self.finishRun(db, of: worker, exit)
            let counters = try Row.fetchOne(
                db,
                cached: "SELECT quick_failures, run_completions FROM workers WHERE worker_id = ?",
                arguments: [id.rawValue]
            )
            var run = exit
            run.madeProgress = (counters?["run_completions"] ?? 0) > 0
            // Decided here, with the queue as it is now, so no task can be routed to a worker that
            // is about to be recorded finished.
            let decision = lifecycle.decide(
                run,
                cause: cause,
                hasPendingTasks: try Self.pendingCount(db, queue: worker.identity.queueName) > 0,
                quickFailures: counters?["quick_failures"] ?? 0
            )
            try db.execute(
                cached: "UPDATE workers SET quick_failures = ? WHERE worker_id = ?",
                arguments: [decision.quickFailures, id.rawValue]
            )
            try Self.record(decision.resolution, of: worker, exit: run, db)
            return decision
        }
    }

    // MARK: - Shared queries

    static func fetchWorker(_ db: Database, _ id: WorkerID) throws -> Worker? {
        try Row.fetchOne(
            db,
            cached: "SELECT * FROM workers WHERE worker_id = ?",
            arguments: [id.rawValue],
            as: Worker.init(row:)
        )
    }

    static func requireWorker(_ db: Database, _ id: WorkerID) throws -> Worker {
        guard let worker = try fetchWorker(db, id) else { throw EnsembleError.workerNotFound(id) }
        return worker
    }

    // MARK: - Private helpers

    private static func record(
        _ resolution: WorkerExitResolution,
        of worker: Worker,
        exit: WorkerExit,
        _ db: Database
    ) throws {
        let (status, statusReason, event, blocking): (WorkerStatus, String, (EventType, String)?, Bool) =
            switch resolution {
            case .finished: (.finished, "its queue is empty", (.workerFinished, exit.phrase), false)
            case .failed(let reason, let blocking): (.failed, reason, (.workerFailed, reason), blocking)
            case .stopped(let reason): (.stopped, reason, (.workerStopped, reason), false)
            case .respawn(let reason): (.spawning, reason, nil, false)
            }
        if status == .spawning { countSpawnMark(db) }
        try setStatus(db, worker, status, reason: statusReason, blocking: blocking)
        guard let (type, reason) = event else { return }
        try recordEvent(
            db,
            type,
            project: worker.identity.projectId,
            worker: worker.id,
            reason: reason,
            payload: exitPayload(exit)
        )
    }

    private static func setStatus(
        _ db: Database,
        _ worker: Worker,
        _ status: WorkerStatus,
        reason: String?,
        blocking: Bool = false
    ) throws {
        try db.execute(
            cached: """
                UPDATE workers SET status = ?, status_reason = ?, auto_spawn_blocked = ?, pid = NULL, updated_at = ?
                WHERE worker_id = ?
                """,
            arguments: [status.rawValue, reason, blocking, try db.transactionDate, worker.id.rawValue]
        )
    }

    /// What the coordinator may want to know about a run: its cost and whether permissions got in the way.
    private static func exitPayload(_ exit: WorkerExit) -> [String: String] {
        guard let summary = exit.summary else { return [:] }
        var payload = [
            "cost_usd": String(format: "%.4f", summary.totalCostUsd), "turns": String(summary.turns),
            "is_error": String(summary.isError),
        ]
        if summary.permissionDenials > 0 {
            payload["permission_denials"] = String(summary.permissionDenials)
        }
        return payload
    }

    /// Completes the worker's current row of `runs` (once) and adds its usage to the ticket it ran for.
    private static func finishRun(_ db: Database, of worker: Worker, _ exit: WorkerExit) throws {
        try db.execute(
            cached: "UPDATE workers SET run_task_id = NULL WHERE worker_id = ?",
            arguments: [worker.id.rawValue]
        )
        guard let runID = worker.process.sessionId,
            let run = try Row.fetchOne(
                db,
                cached: "SELECT ticket_id FROM runs WHERE run_id = ? AND ended_at IS NULL",
                arguments: [runID]
            )
        else { return }
        let summary = exit.summary ?? RunSummary(isError: false)
        let (code, signal) = exit.termination.codeAndSignal
        try db.execute(
            cached: """
                UPDATE runs SET ended_at = ?, exit_code = ?, exit_signal = ?, result_subtype = ?, is_error = ?,
                    cost_usd = ?, input_tokens = ?, output_tokens = ?, turns = ?, permission_denials = ?
                WHERE run_id = ?
                """,
            arguments: [
                try db.transactionDate, code, signal, exit.summary?.subtype, exit.summary?.isError,
                summary.totalCostUsd, summary.inputTokens, summary.outputTokens, summary.turns,
                summary.permissionDenials, runID,
            ]
        )
        guard let ticket: String = run["ticket_id"] else { return }
        try db.execute(
            cached: """
                UPDATE tickets SET cost_usd = cost_usd + ?, input_tokens = input_tokens + ?,
                    output_tokens = output_tokens + ?, turns = turns + ?, run_seconds = run_seconds + ?,
                    run_count = run_count + 1
                WHERE ticket_id = ?
                """,
            arguments: [
                summary.totalCostUsd, summary.inputTokens, summary.outputTokens, summary.turns, exit.duration.seconds,
                ticket,
            ]
        )
    }

    private static func addUsage(_ db: Database, _ id: WorkerID, _ exit: WorkerExit) throws {
        let (exitCode, exitSignal) = exit.termination.codeAndSignal
        let summary = exit.summary ?? RunSummary(isError: false)
        try db.execute(
            cached: """
                UPDATE workers SET exit_code = ?, exit_signal = ?, total_cost_usd = total_cost_usd + ?,
                    input_tokens = input_tokens + ?, output_tokens = output_tokens + ?, turns = turns + ?
                WHERE worker_id = ?
                """,
            arguments: [
                exitCode, exitSignal, summary.totalCostUsd, summary.inputTokens, summary.outputTokens, summary.turns,
                id.rawValue,
            ]
        )
    }
}
