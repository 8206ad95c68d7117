import EnsembleCore

/// `get_worker_status`: one worker, with a health check of its process.
struct GetWorkerStatusTool: ToolHandler {
    static let definition = ToolDefinition(
        name: "get_worker_status",
        title: "Get worker status",
        description: """
            Show one worker: status, pid, last activity, exit code, queue counts, cost and log file. Checks that a \
            worker recorded as running really has a process; one that does not is marked failed.
            """,
        parameters: [.required("worker_id", .string, "The worker's id.")],
        effect: .readOnly
    )

    let context: ToolContext

    func call(_ arguments: ToolArguments) async throws -> any Encodable & Sendable {
        let id: WorkerID = try arguments.requiredIdentifier("worker_id")
        let report = try await context.repository.workerReport(id)
        if report.worker.status.isRunning, report.worker.status != .spawning, await !context.workers.isRunning(id) {
            try await context.repository.recordExit(
                id,
                exit: WorkerExit(termination: .signaled(9)),
                resolution: .failed(reason: "its process is gone (found by a health check)", blocksAutoSpawn: false)
            )
            await context.workers.launchPending()
            return try await context.repository.workerReport(id)
        }
        return report
    }
}
