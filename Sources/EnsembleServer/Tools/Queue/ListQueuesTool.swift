import EnsembleCore

/// `list_queues`: every queue with its worker, counts and pending tasks, and the backlog.
struct ListQueuesTool: ToolHandler {
    static let definition = ToolDefinition(
        name: "list_queues",
        title: "List queues",
        description: """
            List every worker queue (queue_<type>_<n>) with its worker, task counts by state and pending tasks, \
            plus the backlog of tasks waiting for a worker of their type.
            """,
        effect: .readOnly
    )

    let context: ToolContext

    func call(_ arguments: ToolArguments) async throws -> any Encodable & Sendable {
        try await context.repository.queueOverview()
    }
}
