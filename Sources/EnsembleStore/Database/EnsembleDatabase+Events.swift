package import EnsembleCore
import Foundation
import GRDB

extension EnsembleDatabase: EventStore {
    package func events(matching query: EventQuery) async throws -> [Event] {
        try await read { db in
            var conditions = ["1 = 1"]
            var arguments: StatementArguments = []
            if let processed = query.processed {
                conditions.append("processed = ?")
                arguments += [processed]
            }
            if let since = query.sinceId {
                conditions.append("id > ?")
                arguments += [since.rawValue]
            }
            if let types = query.types, !types.isEmpty {
                conditions.append("event_type IN (\(databaseQuestionMarks(count: types.count)))")
                arguments += StatementArguments(types.map(\.rawValue))
            }
            arguments += [query.limit]
            return try Row.fetchAll(
                db,
                cached: "SELECT * FROM events WHERE \(conditions.joined(separator: " AND ")) ORDER BY id LIMIT ?",
                arguments: arguments,
                as: Event.init(row:)
            )
        }
    }

    package func latestEventID() async throws -> EventID? {
        try await read { db in try Int64.fetchOne(db, cached: "SELECT MAX(id) FROM events").map(EventID.init) }
    }

    package func markEventsProcessed(_ ids: [EventID]) async throws -> ProcessedMarking {
        try await write { db in
            var marking = ProcessedMarking(marked: [], alreadyProcessed: [], unknown: [])
            for id in Array(Set(ids)).sorted() {
                switch try Bool.fetchOne(
                    db,
                    cached: "SELECT processed FROM events WHERE id = ?",
                    arguments: [id.rawValue]
                )
                {
                case nil:
                    marking.unknown.append(id)
                case true?:
                    marking.alreadyProcessed.append(id)
                case false?:
                    try db.execute(cached: "UPDATE events SET processed = 1 WHERE id = ?", arguments: [id.rawValue])
                    marking.marked.append(id)
                }
            }
            return marking
        }
    }

    /// Appends an event; call it inside the transaction of the change it reports.
    static func recordEvent(
        _ db: Database,
        _ type: EventType,
        project: ProjectID?,
        ticket: TicketID? = nil,
        worker: WorkerID? = nil,
        stage: Int? = nil,
        reason: String? = nil,
        payload: [String: String] = [:]
    ) throws {
        try db.execute(
            cached: """
                INSERT INTO events (event_type, project_id, ticket_id, worker_id, stage, reason, payload, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                type.rawValue, project?.rawValue, ticket?.rawValue, worker?.rawValue, stage, reason, jsonText(payload),
                try db.transactionDate,
            ]
        )
    }
}
