import EnsembleCore

/// `delete_queue`: removes a stopped worker's queue without losing its tasks.
struct DeleteQueueTool: ToolHandler {
    static let definition = ToolDefinition(
        name: "delete_queue",
        title: "Delete queue",
        description: """
            Delete a queue and its (not running) worker. Its queued tasks are routed to other workers or the \
            backlog, never dropped. Refused while the worker runs: stop it first.
            """,
        parameters: [.required("queue_name", .string, "The queue's name.")],
        effect: .idempotentChange
    )

    let context: ToolContext

    func call(_ arguments: ToolArguments) async throws -> any Encodable & Sendable {
        let queue: QueueName = try arguments.requiredIdentifier("queue_name")
        let rerouted = try await context.ensemble.deleteQueue(queue)
        return Deletion(queueName: queue, deleted: true, reroutedTasks: rerouted)
    }

    private struct Deletion: Encodable {
        var queueName: QueueName
        var deleted: Bool
        var reroutedTasks: Int
    }
}
