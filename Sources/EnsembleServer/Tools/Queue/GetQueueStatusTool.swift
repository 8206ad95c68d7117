import EnsembleCore

/// `get_queue_status`: one queue.
struct GetQueueStatusTool: ToolHandler {
    static let definition = ToolDefinition(
        name: "get_queue_status",
        title: "Get queue status",
        description: "Show one queue: its worker and status, task counts by state, and its pending tasks in order.",
        parameters: [.required("queue_name", .string, "The queue's name, e.g. queue_coder_1.")],
        effect: .readOnly
    )

    let context: ToolContext

    func call(_ arguments: ToolArguments) async throws -> any Encodable & Sendable {
        try await context.repository.queueStatus(try arguments.requiredIdentifier("queue_name"))
    }
}
