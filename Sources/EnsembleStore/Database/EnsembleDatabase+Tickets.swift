package import EnsembleCore
import Foundation
import GRDB

extension EnsembleDatabase: TicketStore {
    package func createTicket(_ new: NewTicket) async throws -> Ticket {
        let routing = routing
        return try await write { db in
            _ = try Self.requireProject(db, new.projectId)
            let unknown = try Self.unknownWorkerTypes(db, in: new.executionPlan, project: new.projectId)
            guard unknown.isEmpty else {
                throw EnsembleError.unknownWorkerTypesInPlan(new.projectId, unknown)
            }
            let id = try new.ticketId ?? Self.nextTicketID(db, project: new.projectId)
            guard try Self.fetchTicket(db, id) == nil else {
                throw EnsembleError.ticketAlreadyExists(id)
            }
            let now = Date()
            try db.execute(
                sql: """
                    INSERT INTO tickets (ticket_id, project_id, title, description, execution_plan, priority,
                        created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    id.rawValue, new.projectId.rawValue, new.title, new.description,
                    jsonText(new.executionPlan.map(\.rawValue)), new.priority.rawValue, now, now,
                ]
            )
            try Self.recordEvent(
                db,
                .ticketCreated,
                project: new.projectId,
                ticket: id,
                stage: 0,
                payload: [
                    "title": new.title,
                    "priority": new.priority.rawValue,
                    "execution_plan": new.executionPlan.map(\.rawValue).joined(separator: ","),
                ]
            )
            let ticket = try Self.requireTicket(db, id)
            try Self.enqueueStage(db, of: ticket, stage: 0, routing: routing)
            return ticket
        }
    }

    package func ticketDetails(_ id: TicketID) async throws -> TicketDetails {
        try await read { db in
            let ticket = try Self.requireTicket(db, id)
            let comments = try Row.fetchAll(
                db,
                sql: "SELECT * FROM comments WHERE ticket_id = ? ORDER BY id",
                arguments: [id.rawValue]
            ).map(Comment.init(row:))
            let tasks = try Row.fetchAll(
                db,
                sql: "SELECT * FROM tasks WHERE ticket_id = ? ORDER BY id",
                arguments: [id.rawValue]
            ).map(QueueTask.init(row:))
            return TicketDetails(ticket: ticket, comments: comments, tasks: tasks)
        }
    }

    package func listTickets(in project: ProjectID?, state: TicketState?) async throws -> [Ticket] {
        try await read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if let project {
                _ = try Self.requireProject(db, project)
                conditions.append("project_id = ?")
                arguments += [project.rawValue]
            }
            if let state {
                conditions.append("state = ?")
                arguments += [state.rawValue]
            }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            return try Row.fetchAll(
                db,
                sql: "SELECT * FROM tickets \(filter) ORDER BY created_at, ticket_id",
                arguments: arguments
            ).map(Ticket.init(row:))
        }
    }

    package func updateStage(of id: TicketID, to selector: StageSelector) async throws -> Ticket {
        let routing = routing
        return try await write { db in
            let ticket = try Self.requireOpenTicket(db, id)
            let stage = try ticket.stageIndex(for: selector)
            try Self.discardPendingTasks(db, of: id, because: "the coordinator moved the ticket to stage \(stage)")
            try db.execute(
                sql: "UPDATE tickets SET current_stage = ?, state = 'open', updated_at = ? WHERE ticket_id = ?",
                arguments: [stage, Date(), id.rawValue]
            )
            try Self.recordEvent(
                db,
                .ticketStageUpdated,
                project: ticket.projectId,
                ticket: id,
                stage: stage,
                reason: "coordinator moved the ticket from stage \(ticket.currentStage) to stage \(stage)",
                payload: [
                    "from_stage": String(ticket.currentStage), "worker_type": ticket.executionPlan[stage].rawValue,
                ]
            )
            return try Self.requireTicket(db, id)
        }
    }

    package func addComment(_ new: NewComment) async throws -> Comment {
        try await write { db in
            let ticket = try Self.requireOpenTicket(db, new.ticketId)
            guard new.stageNumber < ticket.executionPlan.count else {
                throw EnsembleError.stageOutOfRange(
                    new.ticketId,
                    stage: new.stageNumber,
                    stageCount: ticket.executionPlan.count
                )
            }
            try db.execute(
                sql: """
                    INSERT INTO comments (ticket_id, worker_type, worker_id, stage_number, content, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    new.ticketId.rawValue, new.workerType.rawValue, new.workerId.rawValue, new.stageNumber,
                    new.content, Date(),
                ]
            )
            try db.execute(
                sql: "UPDATE tickets SET updated_at = ? WHERE ticket_id = ?",
                arguments: [Date(), new.ticketId.rawValue]
            )
            let row = try Row.fetchOne(
                db,
                sql: "SELECT * FROM comments WHERE id = ?",
                arguments: [db.lastInsertedRowID]
            )
            guard let row else { throw StoreError.database("the new comment could not be read back") }
            return Comment(row: row)
        }
    }

    package func closeTicket(_ id: TicketID, resolution: TicketResolution, reason: String?) async throws -> Ticket {
        try await write { db in
            let ticket = try Self.requireOpenTicket(db, id)
            let now = Date()
            try db.execute(
                sql: """
                    UPDATE tickets SET state = 'closed', resolution = ?, close_reason = ?, closed_at = ?, updated_at = ?
                    WHERE ticket_id = ?
                    """,
                arguments: [resolution.rawValue, reason, now, now, id.rawValue]
            )
            try Self.discardPendingTasks(db, of: id, because: "the ticket was closed")
            try Self.recordEvent(
                db,
                .ticketClosed,
                project: ticket.projectId,
                ticket: id,
                stage: ticket.currentStage,
                reason: reason,
                payload: ["resolution": resolution.rawValue, "discarded_tasks": String(db.changesCount)]
            )
            return try Self.requireTicket(db, id)
        }
    }

    // MARK: - Shared queries

    /// Inserts a comment and touches its ticket.
    /// - Returns: The comment's id.
    static func insertComment(
        _ db: Database,
        ticket: TicketID,
        type: WorkerTypeName,
        worker: WorkerID,
        stage: Int,
        content: String
    ) throws -> Int64 {
        let now = Date()
        try db.execute(
            sql: """
                INSERT INTO comments (ticket_id, worker_type, worker_id, stage_number, content, created_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [ticket.rawValue, type.rawValue, worker.rawValue, stage, content, now]
        )
        let id = db.lastInsertedRowID
        try db.execute(sql: "UPDATE tickets SET updated_at = ? WHERE ticket_id = ?", arguments: [now, ticket.rawValue])
        return id
    }

    static func fetchTicket(_ db: Database, _ id: TicketID) throws -> Ticket? {
        try Row.fetchOne(db, sql: "SELECT * FROM tickets WHERE ticket_id = ?", arguments: [id.rawValue])
            .map(Ticket.init(row:))
    }

    static func requireTicket(_ db: Database, _ id: TicketID) throws -> Ticket {
        guard let ticket = try fetchTicket(db, id) else {
            throw EnsembleError.ticketNotFound(id)
        }
        return ticket
    }

    static func requireOpenTicket(_ db: Database, _ id: TicketID) throws -> Ticket {
        let ticket = try requireTicket(db, id)
        guard ticket.state != .closed else {
            throw EnsembleError.ticketClosed(id)
        }
        return ticket
    }

    // MARK: - Private helpers

    private static func unknownWorkerTypes(_ db: Database, in plan: [WorkerTypeName], project: ProjectID) throws
        -> [WorkerTypeName]
    {
        var unknown: [WorkerTypeName] = []
        for type in plan where !unknown.contains(type) {
            if try fetchWorkerType(db, type, in: project) == nil {
                unknown.append(type)
            }
        }
        return unknown
    }

    /// The next free `PREFIX-N` for the project, one past the highest N in use.
    private static func nextTicketID(_ db: Database, project: ProjectID) throws -> TicketID {
        let prefix = TicketIDPrefix.prefix(for: project) + "-"
        let existing = try String.fetchAll(
            db,
            sql: "SELECT ticket_id FROM tickets WHERE substr(ticket_id, 1, ?) = ?",
            arguments: [prefix.count, prefix]
        )
        let highest = existing.compactMap { Int($0.dropFirst(prefix.count)) }.max() ?? 0
        return TicketID(uncheckedRawValue: prefix + String(highest + 1))
    }
}
