import EnsembleCore
import GRDB

extension Worker {
    /// Reads a row of `workers`.
    init(row: Row) throws {
        let process = Worker.Process(
            pid: row["pid"],
            processStartedAt: row["process_started_at"],
            startedAt: row.optionalDate("started_at"),
            lastActivity: row.optionalDate("last_activity"),
            exitCode: row["exit_code"],
            exitSignal: row["exit_signal"],
            runCount: row["run_count"],
            sessionId: row["session_id"],
            logPath: row["log_path"]
        )
        self.init(
            identity: WorkerIdentity(
                workerId: row.identifier("worker_id"),
                projectId: row.identifier("project_id"),
                workerType: row.identifier("worker_type"),
                queueName: row.identifier("queue_name")
            ),
            status: try row.enumeration("status", in: "workers"),
            statusReason: row["status_reason"],
            autoSpawnBlocked: row["auto_spawn_blocked"],
            process: process,
            usage: WorkerUsage(
                totalCostUsd: row["total_cost_usd"],
                inputTokens: row["input_tokens"],
                outputTokens: row["output_tokens"],
                turns: row["turns"]
            ),
            createdAt: row.date("created_at"),
            updatedAt: row.date("updated_at")
        )
    }
}
