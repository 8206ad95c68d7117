import EnsembleCore
import GRDB

/// Tickets a worker declares with its completion (`new_tickets`), created in the completion's
/// transaction: all of them with their dependencies, or, when any entry is wrong, none.
extension EnsembleDatabase {
    /// Creates `batch` as tickets of `parent`'s project, each recording `parent` as its parent,
    /// and the `tickets_created` event; refs in `depends_on` become the ids just created.
    /// - Throws: `EnsembleError.cannotCreateTickets` unless `worker` is the coordinator or its
    ///   type may; `EnsembleError.invalidArgument` naming the first wrong entry.
    static func createTickets(
        _ batch: TicketBatch,
        declaredIn parent: Ticket,
        by worker: WorkerID,
        of type: WorkerTypeName,
        routing: RoutingPolicy,
        _ db: Database
    ) throws -> [CreatedTicket] {
        guard !batch.isEmpty else { return [] }
        if worker != .coordinator {
            guard try fetchWorkerType(db, type, in: parent.projectId)?.settings.canCreateTickets == true else {
                throw EnsembleError.cannotCreateTickets(type)
            }
        }
        var depth = 0
        var ancestor = parent
        while let above = ancestor.parentTicketId, let next = try fetchTicket(db, above) {
            depth += 1
            ancestor = next
            guard depth < TicketBatch.maximumDepth else {
                throw EnsembleError.ticketsTooDeep(parent.ticketId, depth: TicketBatch.maximumDepth)
            }
        }
        var ids: [String: TicketID] = [:]
        var created: [CreatedTicket] = []
        for entry in batch.ordered {
            do {
                let new = try NewTicket(
                    projectId: parent.projectId,
                    title: entry.title,
                    description: entry.description,
                    executionPlan: entry.executionPlan,
                    priority: entry.priority,
                    maxRounds: entry.maxRounds,
                    dependsOn: try entry.dependsOn.map { name in
                        try ids[name] ?? existingTicket(named: name, in: parent.projectId, db)
                    },
                    parentTicketId: parent.ticketId
                )
                if try ticket(named: entry.ref, in: parent.projectId, db) != nil {
                    throw EnsembleError.invalidArgument(
                        "its ref is also the id of an existing ticket: give the entry a ref of its own, such as \"api\"."
                    )
                }
                let unknown = try unknownWorkerTypes(db, in: new.executionPlan, project: new.projectId)
                guard unknown.isEmpty else { throw EnsembleError.unknownWorkerTypesInPlan(new.projectId, unknown) }
                let ticket = try insertTicket(
                    new,
                    id: try nextTicketID(db, project: new.projectId),
                    routing: routing,
                    db
                )
                ids[entry.ref] = ticket.ticketId
                created.append(CreatedTicket(ref: entry.ref, ticketId: ticket.ticketId, state: ticket.state))
            } catch let error as EnsembleError {
                throw EnsembleError.invalidArgument("new_tickets entry '\(entry.ref)': \(error) Nothing was recorded.")
            }
        }
        try recordEvent(
            db,
            .ticketsCreated,
            project: parent.projectId,
            ticket: parent.ticketId,
            worker: worker,
            stage: parent.currentStage,
            reason: "\(worker) declared \(created.count) ticket\(created.count == 1 ? "" : "s"): "
                + created.map { "\($0.ticketId) (\($0.ref))" }.joined(separator: ", "),
            payload: ["ticket_ids": created.map(\.ticketId.rawValue).joined(separator: ",")]
        )
        return created
    }

    /// The existing ticket of `project` that `name` names, for a `depends_on` entry that is not a ref.
    private static func existingTicket(named name: String, in project: ProjectID, _ db: Database) throws -> TicketID {
        guard let ticket = try ticket(named: name, in: project, db) else {
            throw EnsembleError.invalidArgument(
                "depends_on names '\(name)', which is neither a ref of new_tickets nor a ticket of this project."
            )
        }
        return ticket.ticketId
    }

    /// The ticket of `project` whose id is `name`; tickets of other projects are not looked at.
    private static func ticket(named name: String, in project: ProjectID, _ db: Database) throws -> Ticket? {
        guard TicketID.isValid(name), let ticket = try fetchTicket(db, TicketID(uncheckedRawValue: name)) else {
            return nil
        }
        return ticket.projectId == project ? ticket : nil
    }
}
