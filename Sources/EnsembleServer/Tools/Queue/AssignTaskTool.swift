import EnsembleCore

/// `assign_task`: puts a ticket's current stage on a chosen worker's queue.
struct AssignTaskTool: ToolHandler {
    static let definition = ToolDefinition(
        name: "assign_task",
        title: "Assign task",
        description: """
            Put a ticket's current stage on a chosen worker's queue instead of letting routing choose. The queue's \
            worker type must match the stage; a worker that is not running is started.
            """,
        parameters: [
            .required("queue_name", .string, "The queue to put the task on, e.g. queue_coder_2."),
            .ticketID,
        ],
        effect: .additive
    )

    let context: ToolContext

    func call(_ arguments: ToolArguments) async throws -> any Encodable & Sendable {
        try await context.ensemble.assignTicket(
            try arguments.requiredIdentifier("ticket_id"),
            to: try arguments.requiredIdentifier("queue_name")
        )
    }
}
