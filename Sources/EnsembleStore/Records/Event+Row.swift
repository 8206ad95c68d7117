import EnsembleCore
import GRDB

extension Event {
    /// Reads a row of `events`.
    init(row: Row) throws {
        self.init(
            id: EventID(row["id"]),
            eventType: try row.enumeration("event_type", in: "events"),
            projectId: row.optionalIdentifier("project_id"),
            ticketId: row.optionalIdentifier("ticket_id"),
            workerId: row.optionalIdentifier("worker_id"),
            stage: row["stage"],
            reason: row["reason"],
            payload: try row.json("payload", as: [String: String].self, in: "events"),
            createdAt: row.date("created_at"),
            processed: row["processed"]
        )
    }
}
