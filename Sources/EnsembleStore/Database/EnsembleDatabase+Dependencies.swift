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
        TicketDependencies(
            ticket: try requireTicket(db, id),
            dependsOn: try dependencyStatuses(db, of: id),
            dependents: try tickets(db, dependingOn: id).map(DependencyStatus.init)
        )
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

    /// The tickets that depend on `ticket`, oldest first; with `states`, only those in one of them.
    static func tickets(_ db: Database, dependingOn ticket: TicketID, in states: [TicketState]? = nil) throws
        -> [Ticket]
    {
        let filter = states.map { " AND t.state IN (\($0.map { _ in "?" }.joined(separator: ", ")))" } ?? ""
        return try Row.fetchAll(
            db,
            cached: """
                SELECT t.* FROM ticket_dependencies d JOIN tickets t ON t.ticket_id = d.ticket_id
                WHERE d.depends_on = ?\(filter) ORDER BY t.created_at, t.ticket_id
                """,
            arguments: StatementArguments([ticket.rawValue] + (states ?? []).map(\.rawValue)),
            as: Ticket.init(row:)
        )
    }

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

    /// Applies to each ticket waiting for `closed`, which has just closed, what the rules say:
    /// the last dependency completing unblocks it, a stopped one holds it.
    static func settleDependents(of closed: Ticket, routing: RoutingPolicy, _ db: Database) throws {
        for dependent in try tickets(db, dependingOn: closed.ticketId, in: [.blocked, .onHold]) {
            let effects = DependencyRules.dependencyClosed(
                closed,
                dependent: dependent,
                readiness: try readiness(db, of: dependent.ticketId)
            )
            try apply(effects, to: dependent, routing: routing, db)
        }
    }
}
