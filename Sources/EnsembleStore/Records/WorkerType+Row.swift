import EnsembleCore
import GRDB

extension WorkerType {
    /// Reads a row of `worker_types`.
    init(row: Row) throws {
        let settings = WorkerTypeSettings(
            model: row["model"],
            permissionMode: try row.optionalEnumeration("permission_mode", in: "worker_types"),
            allowedTools: try row.optionalJSON("allowed_tools", as: [String].self, in: "worker_types"),
            disallowedTools: try row.optionalJSON("disallowed_tools", as: [String].self, in: "worker_types"),
            maxWorkers: row["max_workers"],
            stageTimeoutSeconds: row["stage_timeout_seconds"],
            sandbox: row["sandbox"],
            canCreateTickets: row["can_create_tickets"],
            session: try row.enumeration("session", in: "worker_types")
        )
        self.init(
            projectId: row.identifier("project_id"),
            workerType: row.identifier("worker_type"),
            description: row["description"],
            systemPrompt: row["system_prompt"],
            settings: settings,
            createdAt: row.date("created_at"),
            updatedAt: row.date("updated_at")
        )
    }
}
