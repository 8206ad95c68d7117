package import EnsembleCore
import Foundation
import GRDB

extension EnsembleDatabase: TicketStore {
    package func createTicket(_ new: NewTicket) async throws -> Ticket {
        let routing = routing
        return try await settle { db in
            _ = try Self.requireProject(db, new.projectId)
            let unknown = try Self.unknownWorkerTypes(db, in: new.executionPlan, project: new.projectId)
            guard unknown.isEmpty else {
                throw EnsembleError.unknownWorkerTypesInPlan(new.projectId, unknown)
            }
            let id = try new.ticketId ?? Self.nextTicketID(db, project: new.projectId)
            guard try Self.fetchTicket(db, id) == nil else {
                throw EnsembleError.ticketAlreadyExists(id)
            }
            if new.ticketId != nil {
                try Self.countGeneratedLooking(id, in: new.projectId, db)
            }
            return try Self.insertTicket(new, id: id, routing: routing, db)
        }
    }

    /// Inserts the checked ticket `new` as `id` with its dependencies and its event; queues its
    /// first stage unless it waits for a dependency (then its `ticket_blocked` event says for which).
    static func insertTicket(_ new: NewTicket, id: TicketID, routing: RoutingPolicy, _ db: Database) throws -> Ticket {
        guard !new.dependsOn.contains(id) else { throw EnsembleError.dependencyOnItself(id) }
        let dependencies = try new.dependsOn.map { try requireTicket(db, $0) }
        let (state, readiness) = try DependencyRules.checkNew(id, of: new.projectId, dependingOn: dependencies)
        let now = try db.transactionDate
        try db.execute(
            cached: """
                INSERT INTO tickets (ticket_id, project_id, title, description, execution_plan, priority,
                    max_rounds, state, parent_ticket_id, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                id.rawValue, new.projectId.rawValue, new.title, new.description,
                jsonText(new.executionPlan.map(\.rawValue)), new.priority.rawValue, new.maxRounds, state.rawValue,
                new.parentTicketId?.rawValue, now, now,
            ]
        )
        for dependency in new.dependsOn {
            try insertDependency(db, TicketDependency(id, dependsOn: dependency))
        }
        var payload = [
            "title": new.title,
            "priority": new.priority.rawValue,
            "execution_plan": new.executionPlan.map(\.rawValue).joined(separator: ","),
        ]
        if !new.dependsOn.isEmpty { payload["depends_on"] = new.dependsOn.map(\.rawValue).joined(separator: ",") }
        if let parent = new.parentTicketId { payload["parent_ticket_id"] = parent.rawValue }
        try recordEvent(db, .ticketCreated, project: new.projectId, ticket: id, stage: 0, payload: payload)
        let ticket = try requireTicket(db, id)
        if state == .blocked {
            try apply([DependencyRules.blocked(ticket, readiness)], to: ticket, routing: routing, db)
        } else {
            _ = try insertTask(db, of: ticket, stage: 0, queue: nil, maxAttempts: routing.maxAttempts)
        }
        return ticket
    }

    package func ticketDetails(
        _ id: TicketID,
        upToComment: Int64?,
        within budget: DetailsBudget,
        visibleTo queue: QueueName?
    ) async throws -> TicketDetails {
        try await read { db in
            if let queue, try !Self.queue(db, queue, hasTaskOf: id) {
                throw EnsembleError.ticketNotInYourQueue(id, queue)
            }
            let ticket = try Self.requireTicket(db, id)
            let comments = try Row.fetchAll(
                db,
                cached: "SELECT * FROM comments WHERE ticket_id = ? AND id <= ? ORDER BY id",
                arguments: [id.rawValue, upToComment ?? Int64.max],
                as: Comment.init(row:)
            )
            let tasks = try Row.fetchAll(
                db,
                cached: "SELECT * FROM tasks WHERE ticket_id = ? ORDER BY id",
                arguments: [id.rawValue],
                as: QueueTask.init(row:)
            )
            var details = TicketDetails(ticket: ticket, comments: comments, tasks: tasks, within: budget)
            let (dependsOn, dependents) = try Self.linkedTickets(db, id)
            details.dependsOn = dependsOn
            details.dependents = Array(dependents.prefix(budget.maximumDependents))
            details.moreDependents = dependents.count - details.dependents.count
            details.stages = try Self.stageUsage(db, of: ticket)
            return details
        }
    }

    package func listTickets(in project: ProjectID?, state: TicketState?) async throws -> [Ticket] {
        try await read { db in
            let (conditions, arguments) = try Self.ticketFilter(db, project: project, state: state)
            return try Row.fetchAll(
                db,
                cached: "SELECT * FROM tickets \(Self.whereClause(conditions)) ORDER BY created_at, ticket_id",
                arguments: arguments,
                as: Ticket.init(row:)
            )
        }
    }

    /// Seeks through the list-order indexes (`tickets_in_order` and its filtered siblings) to the
    /// cursor's position, so a page costs the same at any depth and however many tickets closed.
    package func ticketPage(
        in project: ProjectID?,
        state: TicketState?,
        page: PageRequest
    ) async throws -> Page<Ticket> {
        try await read { db in
            let (sql, arguments) = try Self.ticketPageQuery(db, project: project, state: state, page: page)
            let rows = try Row.fetchAll(db, cached: sql, arguments: arguments)
            let shown = rows.prefix(page.limit)
            let next = rows.count > page.limit ? shown.last.map { Self.cursor(after: $0) } : nil
            return Page(items: try shown.map(Ticket.init(row:)), next: next)
        }
    }

    /// The query of `ticketPage`: one row more than the page, to tell whether another follows.
    static func ticketPageQuery(
        _ db: Database,
        project: ProjectID?,
        state: TicketState?,
        page: PageRequest
    ) throws -> (sql: String, arguments: StatementArguments) {
        var (conditions, arguments) = try ticketFilter(db, project: project, state: state)
        if let after = page.after {
            conditions.append("(created_at, ticket_id) > (?, ?)")
            arguments += [after.key, after.id]
        }
        let sql = "SELECT * FROM tickets \(whereClause(conditions)) ORDER BY created_at, ticket_id LIMIT ?"
        return (sql, arguments + [page.limit + 1])
    }

    /// The `WHERE` conditions (joined with `AND`) and arguments of a ticket list.
    /// - Throws: `EnsembleError.projectNotFound` for an unknown project.
    static func ticketFilter(
        _ db: Database,
        project: ProjectID?,
        state: TicketState?
    ) throws -> ([String], StatementArguments) {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let project {
            _ = try requireProject(db, project)
            conditions.append("project_id = ?")
            arguments += [project.rawValue]
        }
        if let state {
            conditions.append("state = ?")
            arguments += [state.rawValue]
        }
        return (conditions, arguments)
    }

    /// `WHERE` and `conditions` joined with `AND`, or nothing when there are none.
    static func whereClause(_ conditions: [String]) -> String {
        conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
    }

    /// The cursor just after ticket `row`: its stored `created_at` text and its id.
    private static func cursor(after row: Row) -> PageCursor {
        PageCursor(key: row["created_at"] as String, id: row["ticket_id"] as String)
    }

    package func updateStage(of id: TicketID, to selector: StageSelector) async throws -> Ticket {
        let routing = routing
        return try await settle { db in
            let ticket = try Self.requireOpenTicket(db, id)
            let stage = try ticket.stageIndex(for: selector)
            let effects = try StageProgression.override(ticket, to: stage, readiness: try Self.readiness(db, of: id))
            try Self.apply(effects, to: ticket, routing: routing, db)
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
                cached: """
                    INSERT INTO comments (ticket_id, worker_type, worker_id, stage_number, content, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    new.ticketId.rawValue, new.workerType.rawValue, new.workerId.rawValue, new.stageNumber,
                    new.content, try db.transactionDate,
                ]
            )
            try db.execute(
                cached: "UPDATE tickets SET updated_at = ? WHERE ticket_id = ?",
                arguments: [try db.transactionDate, new.ticketId.rawValue]
            )
            let row = try Row.fetchOne(
                db,
                cached: "SELECT * FROM comments WHERE id = ?",
                arguments: [db.lastInsertedRowID]
            )
            guard let row else { throw StoreError.database("the new comment could not be read back") }
            return Comment(row: row)
        }
    }

    package func closeTicket(_ id: TicketID, resolution: TicketResolution, reason: String?) async throws -> Ticket {
        let routing = routing
        return try await settle { db in
            let ticket = try Self.requireOpenTicket(db, id)
            let effects = StageProgression.close(ticket, resolution: resolution, reason: reason)
            try Self.apply(effects, to: ticket, routing: routing, db)
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
        let now = try db.transactionDate
        try db.execute(
            cached: """
                INSERT INTO comments (ticket_id, worker_type, worker_id, stage_number, content, created_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [ticket.rawValue, type.rawValue, worker.rawValue, stage, content, now]
        )
        let id = db.lastInsertedRowID
        try db.execute(
            cached: "UPDATE tickets SET updated_at = ? WHERE ticket_id = ?",
            arguments: [now, ticket.rawValue]
        )
        return id
    }

    static func fetchTicket(_ db: Database, _ id: TicketID) throws -> Ticket? {
        try Row.fetchOne(
            db,
            cached: "SELECT * FROM tickets WHERE ticket_id = ?",
            arguments: [id.rawValue],
            as: Ticket.init(row:)
        )
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

    static func unknownWorkerTypes(_ db: Database, in plan: [WorkerTypeName], project: ProjectID) throws
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

    /// Moves the project's counter past a hand-chosen id of the generated form (`SHOP-7` makes the
    /// next one `SHOP-8`), unless its number is beyond what generated ids use.
    private static func countGeneratedLooking(_ id: TicketID, in project: ProjectID, _ db: Database) throws {
        let prefix = TicketIDPrefix.prefix(for: project) + "-"
        guard id.rawValue.hasPrefix(prefix), let number = TicketIDPrefix.number(in: id.rawValue.dropFirst(prefix.count))
        else { return }
        try db.execute(
            cached: "UPDATE projects SET next_ticket_number = MAX(next_ticket_number, ?) WHERE repository_name = ?",
            arguments: [number + 1, project.rawValue]
        )
    }

    /// The next free `PREFIX-N` for the project from its counter, skipping ids taken by hand.
    ///
    /// A counter, not "one past the highest": a coordinator-chosen id such as `SHOP-9223372036854775807`
    /// must not push generated numbers to overflow.
    static func nextTicketID(_ db: Database, project: ProjectID) throws -> TicketID {
        let prefix = TicketIDPrefix.prefix(for: project) + "-"
        var number =
            try Int.fetchOne(
                db,
                cached: "SELECT next_ticket_number FROM projects WHERE repository_name = ?",
                arguments: [project.rawValue]
            ) ?? 1
        func isTaken(_ number: Int) throws -> Bool {
            try fetchTicket(db, TicketID(uncheckedRawValue: prefix + String(number))) != nil
        }
        while try isTaken(number) { number += 1 }
        if number > TicketIDPrefix.maximumNumber {
            // Past the last number (hand-chosen ids pushed it there): take the lowest free one.
            number = 1
            while try isTaken(number), number <= TicketIDPrefix.maximumNumber { number += 1 }
        }
        guard number <= TicketIDPrefix.maximumNumber else {
            throw EnsembleError.invalidArgument(
                "Project '\(project)' has used every generated ticket number; give a ticket_id of your own."
            )
        }
        try db.execute(
            cached: "UPDATE projects SET next_ticket_number = ? WHERE repository_name = ?",
            arguments: [number + 1, project.rawValue]
        )
        return TicketID(uncheckedRawValue: prefix + String(number))
    }
}
