import EnsembleCore

/// `stop_worker`: stops a worker's process; its claimed task goes back to the queue.
struct StopWorkerTool: ToolHandler {
    static let definition = ToolDefinition(
        name: "stop_worker",
        title: "Stop worker",
        description: """
            Stop a worker: SIGTERM to its process group, a grace period, then SIGKILL. The task it was working \
            on returns to the queue without using an attempt; its queued tasks are routed to other workers. Records a worker_stopped event.
            """,
        parameters: [.required("worker_id", .string, "The worker's id.")],
        effect: .idempotentChange
    )

    let context: ToolContext

    func call(_ arguments: ToolArguments) async throws -> any Encodable & Sendable {
        try await context.ensemble.stopWorker(try arguments.requiredIdentifier("worker_id"))
    }
}
