import EnsembleCore

/// `get_queue_tasks`: a queue's pending tasks, read only.
struct GetQueueTasksTool: ToolHandler {
    static let definition = ToolDefinition(
        name: "get_queue_tasks",
        title: "Get queue tasks",
        description: "List the queued and claimed tasks of a queue, in the order they are handed out. Claims nothing.",
        parameters: [.required("queue_name", .string, "The queue's name; a worker may only read its own.")],
        effect: .readOnly
    )

    let context: ToolContext

    func call(_ arguments: ToolArguments) async throws -> any Encodable & Sendable {
        let queue: QueueName = try arguments.requiredIdentifier("queue_name")
        try context.caller.checkAccess(to: queue)
        let tasks = try await context.repository.pendingTasks(in: queue)
        return TaskList(queueName: queue, tasks: tasks, count: tasks.count)
    }

    private struct TaskList: Encodable {
        var queueName: QueueName
        var tasks: [QueueTask]
        var count: Int
    }
}
