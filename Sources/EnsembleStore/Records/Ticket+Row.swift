import EnsembleCore
import GRDB

extension Ticket {
    /// Reads a row of `tickets`.
    init(row: Row) throws {
        let plan = try row.stringArray("execution_plan", in: "tickets")
        self.init(
            ticketId: row.identifier("ticket_id"),
            projectId: row.identifier("project_id"),
            title: row["title"],
            description: row["description"],
            executionPlan: plan.map(WorkerTypeName.init(uncheckedRawValue:)),
            currentStage: row["current_stage"],
            lastCompletedStage: row["last_completed_stage"],
            state: try row.enumeration("state", in: "tickets"),
            resolution: try row.optionalEnumeration("resolution", in: "tickets"),
            closeReason: row["close_reason"],
            priority: try row.enumeration("priority", in: "tickets"),
            reworkRounds: row["rework_rounds"],
            maxRounds: row["max_rounds"],
            parentTicketId: row.optionalIdentifier("parent_ticket_id"),
            usage: RunUsage(
                costUsd: row["cost_usd"],
                inputTokens: row["input_tokens"],
                outputTokens: row["output_tokens"],
                turns: row["turns"],
                seconds: row["run_seconds"],
                runs: row["run_count"]
            ),
            createdAt: row.date("created_at"),
            updatedAt: row.date("updated_at"),
            closedAt: row.optionalDate("closed_at")
        )
    }
}

extension Comment {
    /// Reads a row of `comments`.
    init(row: Row) {
        self.init(
            id: row["id"],
            ticketId: row.identifier("ticket_id"),
            workerType: row.identifier("worker_type"),
            workerId: row.identifier("worker_id"),
            stageNumber: row["stage_number"],
            content: row["content"],
            createdAt: row.date("created_at")
        )
    }
}
