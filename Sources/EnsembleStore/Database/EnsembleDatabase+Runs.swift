package import EnsembleCore
import Foundation
import GRDB

/// Reading the recorded `claude -p` runs.
extension EnsembleDatabase: RunStore {
    package func runs(of ticket: TicketID) async throws -> [WorkerRun] {
        try await read { db in
            _ = try Self.requireTicket(db, ticket)
            return try Row.fetchAll(
                db,
                cached: "SELECT * FROM runs WHERE ticket_id = ? ORDER BY started_at, rowid",
                arguments: [ticket.rawValue],
                as: WorkerRun.init(row:)
            )
        }
    }

    package func runs(by worker: WorkerID) async throws -> [WorkerRun] {
        try await read { db in
            try Row.fetchAll(
                db,
                cached: "SELECT * FROM runs WHERE worker_id = ? ORDER BY started_at, rowid",
                arguments: [worker.rawValue],
                as: WorkerRun.init(row:)
            )
        }
    }

    /// The usage of each stage of `ticket` that ran, summed over its runs, in plan order.
    static func stageUsage(_ db: Database, of ticket: Ticket) throws -> [StageUsage] {
        try Row.fetchAll(
            db,
            cached: """
                SELECT stage, SUM(cost_usd) AS cost, SUM(input_tokens) AS input, SUM(output_tokens) AS output,
                    SUM(turns) AS turns, SUM(julianday(ended_at) - julianday(started_at)) * 86400.0 AS seconds,
                    COUNT(*) AS runs
                FROM runs WHERE ticket_id = ? AND ended_at IS NOT NULL GROUP BY stage ORDER BY stage
                """,
            arguments: [ticket.ticketId.rawValue]
        ).compactMap { row in
            let stage: Int = row["stage"]
            guard ticket.executionPlan.indices.contains(stage) else { return nil }
            return StageUsage(
                stage: stage,
                workerType: ticket.executionPlan[stage],
                usage: RunUsage(
                    costUsd: row["cost"],
                    inputTokens: row["input"],
                    outputTokens: row["output"],
                    turns: row["turns"],
                    seconds: max(0, row["seconds"] ?? 0),
                    runs: row["runs"]
                )
            )
        }
    }
}
