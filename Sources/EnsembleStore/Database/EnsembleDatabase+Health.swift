package import EnsembleCore
import GRDB

extension EnsembleDatabase: HealthCheck {
    package func checkHealth() async throws -> StoreHealth {
        try await read { db in
            let migrations = try Self.migrator.appliedMigrations(db)
            return StoreHealth(
                schemaVersion: migrations.last ?? "none",
                projects: try Int.fetchOne(db, cached: "SELECT COUNT(*) FROM projects") ?? 0,
                openTickets: try Int.fetchOne(
                    db,
                    cached: "SELECT COUNT(*) FROM tickets WHERE state != ?",
                    arguments: [TicketState.closed.rawValue]
                ) ?? 0,
                unprocessedEvents: try Int.fetchOne(db, cached: "SELECT COUNT(*) FROM events WHERE processed = 0") ?? 0
            )
        }
    }
}
