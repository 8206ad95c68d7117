package import EnsembleCore
import Foundation
import GRDB

extension EnsembleDatabase: QueueStore {
    package func pendingTasks(in queue: QueueName) async throws -> [QueueTask] {
        try await read { db in
            _ = try Self.requireQueueOwner(db, queue)
            return try Self.pendingTasks(db, in: queue)
        }
    }

    package func queueStatus(_ queue: QueueName) async throws -> QueueStatus {
        try await read { db in try Self.queueStatus(db, of: try Self.requireQueueOwner(db, queue)) }
    }

    package func queueOverview() async throws -> QueueOverview {
        try await read { db in
            let workers = try Row.fetchAll(db, cached: "SELECT * FROM workers ORDER BY queue_name").map(
                Worker.init(row:)
            )
            let backlog = try Row.fetchAll(
                db,
                cached: "SELECT * FROM tasks WHERE queue_name IS NULL AND state = ? ORDER BY priority DESC, id",
                arguments: [TaskState.queued.rawValue],
                as: QueueTask.init(row:)
            )
            return QueueOverview(queues: try workers.map { try Self.queueStatus(db, of: $0) }, backlog: backlog)
        }
    }

    package func deleteQueue(_ queue: QueueName) async throws -> Int {
        try await settle { db in
            let owner = try Self.requireQueueOwner(db, queue)
            guard !owner.status.isRunning else {
                throw EnsembleError.queueInUse(queue, worker: owner.id)
            }
            try db.execute(cached: "DELETE FROM workers WHERE worker_id = ?", arguments: [owner.id.rawValue])
            let queued =
                try Int.fetchOne(
                    db,
                    cached: "SELECT COUNT(*) FROM tasks WHERE queue_name = ? AND state = ?",
                    arguments: [queue.rawValue, TaskState.queued.rawValue]
                ) ?? 0
            // The queue's history goes with it, so a worker later given the same name inherits no
            // access to these tickets; live tasks go to the backlog, where dispatch routes them
            // (a claim returns there when its lease ends).
            try db.execute(
                cached: "UPDATE tasks SET queue_name = NULL, updated_at = ? WHERE queue_name = ?",
                arguments: [try db.transactionDate, queue.rawValue]
            )
            return queued
        }
    }

    package func assignTicket(_ ticketID: TicketID, to queue: QueueName) async throws -> QueueTask {
        let routing = routing
        return try await settle { db in
            let owner = try Self.requireQueueOwner(db, queue)
            let ticket = try Self.requireOpenTicket(db, ticketID)
            switch try Self.readiness(db, of: ticketID) {
            case .ready: break
            case .waiting(let open): throw EnsembleError.ticketBlocked(ticketID, waitingFor: open.map(\.ticketId))
            case .failed(let stopped): throw EnsembleError.dependencyStopped(ticketID, dependsOn: stopped.ticketId)
            }
            guard owner.identity.projectId == ticket.projectId else {
                throw EnsembleError.queueOfOtherProject(queue, project: owner.identity.projectId, ticket: ticketID)
            }
            guard let stageType = ticket.currentWorkerType, stageType == owner.identity.workerType else {
                throw EnsembleError.stageNeedsOtherWorkerType(
                    ticketID,
                    stage: ticket.currentStage,
                    needs: ticket.currentWorkerType ?? owner.identity.workerType,
                    queue: queue
                )
            }
            if let holder = try String.fetchOne(
                db,
                cached: "SELECT claimed_by FROM tasks WHERE ticket_id = ? AND state = ?",
                arguments: [ticketID.rawValue, TaskState.claimed.rawValue]
            ) {
                throw EnsembleError.invalidArgument(
                    "Ticket '\(ticketID)' is being worked on by \(holder); wait for it or stop that worker first."
                )
            }
            let now = try db.transactionDate
            try db.execute(
                cached: "UPDATE tickets SET state = ?, updated_at = ? WHERE ticket_id = ?",
                arguments: [TicketState.open.rawValue, now, ticketID.rawValue]
            )
            let queued = try Int64.fetchOne(
                db,
                cached: "SELECT id FROM tasks WHERE ticket_id = ? AND state = ? ORDER BY id DESC LIMIT 1",
                arguments: [ticketID.rawValue, TaskState.queued.rawValue]
            )
            let taskID: TaskID
            if let queued {
                taskID = TaskID(queued)
                try db.execute(
                    cached:
                        "UPDATE tasks SET queue_name = ?, waiting_reason = NULL, pinned = 1, updated_at = ? WHERE id = ?",
                    arguments: [queue.rawValue, now, queued]
                )
            } else {
                taskID = try Self.insertTask(
                    db,
                    of: ticket,
                    stage: ticket.currentStage,
                    queue: queue,
                    maxAttempts: routing.maxAttempts
                )
                try db.execute(cached: "UPDATE tasks SET pinned = 1 WHERE id = ?", arguments: [taskID.rawValue])
            }
            if !owner.status.isRunning {
                try Self.requireCapacity(db, for: owner.id, policy: routing)
                try Self.markSpawning(db, owner.id)
            }
            try Self.recordEvent(
                db,
                .ticketAssigned,
                project: ticket.projectId,
                ticket: ticketID,
                worker: owner.id,
                stage: ticket.currentStage,
                reason: "the coordinator put the ticket on \(queue)",
                payload: ["task_id": String(taskID.rawValue), "queue_name": queue.rawValue]
            )
            guard
                let row = try Row.fetchOne(db, cached: "SELECT * FROM tasks WHERE id = ?", arguments: [taskID.rawValue])
            else {
                throw StoreError.database("the assigned task could not be read back")
            }
            return try QueueTask(row: row)
        }
    }

    package func queue(_ queue: QueueName, hasTaskOf ticket: TicketID) async throws -> Bool {
        try await read { db in try Self.queue(db, queue, hasTaskOf: ticket) }
    }

    /// Whether `queue` had a task of `ticket`: what a worker may see.
    static func queue(_ db: Database, _ queue: QueueName, hasTaskOf ticket: TicketID) throws -> Bool {
        try Bool.fetchOne(
            db,
            cached: """
                SELECT EXISTS (
                    SELECT 1 FROM tasks JOIN workers ON workers.queue_name = tasks.queue_name
                    WHERE tasks.queue_name = ? AND tasks.ticket_id = ? AND tasks.project_id = workers.project_id
                )
                """,
            arguments: [queue.rawValue, ticket.rawValue]
        ) ?? false
    }

    // MARK: - Shared queries

    static func requireQueueOwner(_ db: Database, _ queue: QueueName) throws -> Worker {
        guard
            let row = try Row.fetchOne(
                db,
                cached: "SELECT * FROM workers WHERE queue_name = ?",
                arguments: [queue.rawValue]
            )
        else {
            throw EnsembleError.queueNotFound(queue)
        }
        return try Worker(row: row)
    }

    static func queueCounts(_ db: Database, queue: QueueName) throws -> QueueCounts {
        var counts = QueueCounts()
        for row in try Row.fetchAll(
            db,
            cached: "SELECT state, COUNT(*) AS n FROM tasks WHERE queue_name = ? GROUP BY state",
            arguments: [queue.rawValue]
        ) {
            let count: Int = row["n"]
            switch TaskState(rawValue: row["state"]) {
            case .queued?: counts.queued = count
            case .claimed?: counts.claimed = count
            case .done?: counts.done = count
            case .failed?: counts.failed = count
            case .discarded?: counts.discarded = count
            case nil: break
            }
        }
        return counts
    }

    // MARK: - Private helpers

    private static func pendingTasks(_ db: Database, in queue: QueueName) throws -> [QueueTask] {
        try Row.fetchAll(
            db,
            cached: """
                SELECT * FROM tasks WHERE queue_name = ? AND state IN (?, ?)
                ORDER BY state = ?, priority DESC, id
                """,
            arguments: [
                queue.rawValue, TaskState.queued.rawValue, TaskState.claimed.rawValue, TaskState.queued.rawValue,
            ],
            as: QueueTask.init(row:)
        )
    }

    private static func queueStatus(_ db: Database, of worker: Worker) throws -> QueueStatus {
        QueueStatus(
            queueName: worker.identity.queueName,
            workerId: worker.id,
            workerStatus: worker.status,
            counts: try queueCounts(db, queue: worker.identity.queueName),
            tasks: try pendingTasks(db, in: worker.identity.queueName)
        )
    }
}
