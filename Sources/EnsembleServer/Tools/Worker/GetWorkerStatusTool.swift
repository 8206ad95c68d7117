import EnsembleCore

/// `get_worker_status`: one worker, as the store records it.
struct GetWorkerStatusTool: ToolHandler {
    static let definition = ToolDefinition(
        name: "get_worker_status",
        title: "Get worker status",
        description: """
            Show one worker: status and why, pid, last activity, exit code, queue counts, cost and log file. A \
            worker whose process is gone is found by the server within seconds and shown as failed.
            """,
        parameters: [.required("worker_id", .string, "The worker's id.")],
        effect: .readOnly
    )

    let context: ToolContext

    func call(_ arguments: ToolArguments) async throws -> any Encodable & Sendable {
        try await context.repository.workerReport(try arguments.requiredIdentifier("worker_id"))
    }
}
