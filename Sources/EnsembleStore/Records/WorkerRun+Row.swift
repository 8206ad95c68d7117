import EnsembleCore
import Foundation
import GRDB

extension WorkerRun {
    /// Reads a row of `runs`.
    init(row: Row) {
        let taskID: Int64? = row["task_id"]
        let startedAt = row.date("started_at")
        let endedAt = row.optionalDate("ended_at")
        self.init(
            runId: row["run_id"],
            workerId: row.identifier("worker_id"),
            workerType: row.identifier("worker_type"),
            taskId: taskID.map(TaskID.init),
            ticketId: row.optionalIdentifier("ticket_id"),
            stage: row["stage"],
            startedAt: startedAt,
            endedAt: endedAt,
            exitCode: row["exit_code"],
            exitSignal: row["exit_signal"],
            resultSubtype: row["result_subtype"],
            isError: row["is_error"],
            permissionDenials: row["permission_denials"],
            usage: RunUsage(
                costUsd: row["cost_usd"],
                inputTokens: row["input_tokens"],
                outputTokens: row["output_tokens"],
                turns: row["turns"],
                seconds: endedAt.map { max(0, $0.timeIntervalSince(startedAt)) } ?? 0,
                runs: 1
            ),
            logPath: row["log_path"]
        )
    }
}
