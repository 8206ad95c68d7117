package import EnsembleCore
import GRDB

/// Ticket dependencies: the edges, the readiness they give a ticket, and what closing a ticket
/// does to the tickets waiting for it. The rules are `DependencyRules`; this reads their inputs
/// and applies their effects in the transaction of the change.
extension EnsembleDatabase {
    package func dependencies(of id: TicketID) async throws -> TicketDependencies {
        try await read { db in try Self.ticketDependencies(db, id) }
    }

    package func addDependency(_ id: TicketID, dependsOn dependency: TicketID) async throws -> TicketDependencies {
        let routing = routing
        return try await settle { db in
            let ticket = try Self.requireTicket(db, id)
            let other = try Self.requireTicket(db, dependency)
            try DependencyRules.checkAdding(
                other,
                to: ticket,
                in: try Self.dependencyGraph(db, project: ticket.projectId)
            )
            let effects = try DependencyRules.added(other, to: ticket)
            try Self.insertDependency(db, TicketDependency(id, dependsOn: dependency))
            try Self.apply(effects, to: ticket, routing: routing, db)
            return try Self.ticketDependencies(db, id)
        }
    }

    package func removeDependency(_ id: TicketID, dependsOn dependency: TicketID) async throws -> TicketDependencies {
        let routing = routing
        return try await settle { db in
            let ticket = try Self.requireOpenTicket(db, id)
            try db.execute(
                cached: "DELETE FROM ticket_dependencies WHERE ticket_id = ? AND depends_on = ?",
                arguments: [id.rawValue, dependency.rawValue]
            )
            guard db.changesCount == 1 else { throw EnsembleError.dependencyNotFound(id, dependsOn: dependency) }
            let effects = DependencyRules.removed(dependency, from: ticket, leaving: try Self.readiness(db, of: id))
            try Self.apply(effects, to: ticket, routing: routing, db)
            return try Self.ticketDependencies(db, id)
        }
    }

    // MARK: - Shared queries

    /// The ticket with what it depends on and what depends on it.
    static func ticketDependencies(_ db: Database, _ id: TicketID) throws -> TicketDependencies {
        let ticket = try requireTicket(db, id)
        let (dependsOn, dependents) = try linkedTickets(db, id)
        return TicketDependencies(ticket: ticket, dependsOn: dependsOn, dependents: dependents)
    }

    /// What `ticket` depends on and what depends on it, oldest first, in one statement (every
    /// `get_ticket` reads them).
    static func linkedTickets(_ db: Database, _ ticket: TicketID) throws -> (
        dependsOn: [DependencyStatus], dependents: [DependencyStatus]
    ) {
        let rows = try Row.fetchAll(db, cached: linkedTicketsQuery, arguments: [ticket.rawValue])
        var linked: (dependsOn: [DependencyStatus], dependents: [DependencyStatus]) = ([], [])
        for row in rows {
            let status = DependencyStatus(try Ticket(row: row))
            if row["side"] as Int == 0 { linked.dependsOn.append(status) } else { linked.dependents.append(status) }
        }
        return linked
    }

    /// What `ticket` depends on, each as it is now.
    static func dependencyStatuses(_ db: Database, of ticket: TicketID) throws -> [DependencyStatus] {
        try Row.fetchAll(
            db,
            cached: """
                SELECT t.* FROM ticket_dependencies d JOIN tickets t ON t.ticket_id = d.depends_on
                WHERE d.ticket_id = ? ORDER BY t.created_at, t.ticket_id
                """,
            arguments: [ticket.rawValue],
            as: Ticket.init(row:)
        ).map(DependencyStatus.init)
    }

    /// The tickets waiting for `ticket`, blocked or held, oldest first.
    static func waitingDependents(_ db: Database, of ticket: TicketID) throws -> [Ticket] {
        try Row.fetchAll(
            db,
            cached: waitingDependentsQuery,
            arguments: [ticket.rawValue, TicketState.blocked.rawValue, TicketState.onHold.rawValue],
            as: Ticket.init(row:)
        )
    }

    /// Both sides of a ticket's edges, each through its index (`DependencyQueryPlanTests`).
    static let linkedTicketsQuery = """
        SELECT 0 AS side, t.* FROM ticket_dependencies d JOIN tickets t ON t.ticket_id = d.depends_on
        WHERE d.ticket_id = ?1
        UNION ALL
        SELECT 1 AS side, t.* FROM ticket_dependencies d JOIN tickets t ON t.ticket_id = d.ticket_id
        WHERE d.depends_on = ?1
        ORDER BY side, created_at, ticket_id
        """

    /// The dependents a closing ticket settles, through `ticket_dependents`.
    static let waitingDependentsQuery = """
        SELECT t.* FROM ticket_dependencies d JOIN tickets t ON t.ticket_id = d.ticket_id
        WHERE d.depends_on = ? AND t.state IN (?, ?) ORDER BY t.created_at, t.ticket_id
        """

    /// Whether `ticket`'s dependencies let it run.
    static func readiness(_ db: Database, of ticket: TicketID) throws -> DependencyReadiness {
        DependencyReadiness(try dependencyStatuses(db, of: ticket))
    }

    /// Every dependency among the tickets of `project`.
    static func dependencyGraph(_ db: Database, project: ProjectID) throws -> DependencyGraph {
        DependencyGraph(
            try Row.fetchAll(
                db,
                cached: """
                    SELECT d.ticket_id, d.depends_on FROM ticket_dependencies d
                    JOIN tickets t ON t.ticket_id = d.ticket_id WHERE t.project_id = ?
                    """,
                arguments: [project.rawValue]
            ).map { TicketDependency($0.identifier("ticket_id"), dependsOn: $0.identifier("depends_on")) }
        )
    }

    static func insertDependency(_ db: Database, _ dependency: TicketDependency) throws {
        try db.execute(
            cached: "INSERT INTO ticket_dependencies (ticket_id, depends_on, created_at) VALUES (?, ?, ?)",
            arguments: [dependency.ticketId.rawValue, dependency.dependsOn.rawValue, try db.transactionDate]
        )
    }

    /// Applies to each ticket waiting for `ticket`, which has just closed, what the rules say:
    /// the last dependency completing unblocks it, a stopped one holds it.
    static func settleDependents(of ticket: TicketID, routing: RoutingPolicy, _ db: Database) throws {
        let closed = try requireTicket(db, ticket)
        for dependent in try waitingDependents(db, of: ticket) {
            let effects = DependencyRules.dependencyClosed(
                closed,
                dependent: dependent,
                readiness: try readiness(db, of: dependent.ticketId)
            )
            try apply(effects, to: dependent, routing: routing, db)
        }
    }
}
