package import EnsembleCore
import GRDB

extension EnsembleDatabase {
    /// Everything about tickets, tasks, workers and events, read in one transaction, for checking
    /// the invariants.
    /// - Parameter knownEvents: Events the caller already holds (events are append-only): only
    ///   later ones are read, and the snapshot holds both.
    /// - Returns: The snapshot.
    /// - Throws: `StoreError` when the database cannot be read.
    package func snapshot(knownEvents: [Event] = []) async throws -> EnsembleSnapshot {
        let routing = routing
        let after = knownEvents.last?.id.rawValue ?? 0
        return try await read { db in
            EnsembleSnapshot(
                tickets: try Row.fetchAll(db, cached: "SELECT * FROM tickets ORDER BY ticket_id").map(
                    Ticket.init(row:)
                ),
                tasks: try Row.fetchAll(db, cached: "SELECT * FROM tasks ORDER BY id", as: QueueTask.init(row:)),
                workers: try Row.fetchAll(db, cached: "SELECT * FROM workers ORDER BY worker_id").map(
                    Worker.init(row:)
                ),
                workerTypes: try Row.fetchAll(db, cached: "SELECT * FROM worker_types", as: WorkerType.init(row:)),
                events: try knownEvents
                    + Row.fetchAll(
                        db,
                        cached: "SELECT * FROM events WHERE id > ? ORDER BY id",
                        arguments: [after],
                        as: Event.init(row:)
                    ),
                dependencies: try Row.fetchAll(
                    db,
                    cached: "SELECT ticket_id, depends_on FROM ticket_dependencies ORDER BY ticket_id, depends_on"
                ).map { TicketDependency($0.identifier("ticket_id"), dependsOn: $0.identifier("depends_on")) },
                policy: routing
            )
        }
    }
}
