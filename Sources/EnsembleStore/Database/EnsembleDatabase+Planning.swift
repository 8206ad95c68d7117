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
                    dependsOn: try entry.dependsOn.map { name in try ids[name] ?? existingTicket(named: name, db) },
                    parentTicketId: parent.ticketId
                )
                if TicketID.isValid(entry.ref), try fetchTicket(db, TicketID(uncheckedRawValue: entry.ref)) != nil {
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

    /// The existing ticket `name` names, for a `depends_on` entry that is not a ref.
    private static func existingTicket(named name: String, _ db: Database) throws -> TicketID {
        guard TicketID.isValid(name), try fetchTicket(db, TicketID(uncheckedRawValue: name)) != nil else {
            throw EnsembleError.invalidArgument(
                "depends_on names '\(name)', which is neither a ref of new_tickets nor an existing ticket."
            )
        }
        return TicketID(uncheckedRawValue: name)
    }
}
