import EnsembleCore

/// `get_queue_tasks`: a queue's pending tasks, read only.
struct GetQueueTasksTool: ToolHandler {
    static let definition = ToolDefinition(
        name: "get_queue_tasks",
        title: "Get queue tasks",
        description: """
            List the claimed and queued tasks of a queue, in the order they are handed out, a page at a time: \
            next_cursor (null on the last page) is the cursor of the next page. Claims nothing.
            """,
        parameters: [
            .required("queue_name", .string, "The queue's name; a worker may only read its own."), .pageLimit,
            .pageCursor,
        ],
        effect: .readOnly
    )

    let context: ToolContext

    func call(_ arguments: ToolArguments) async throws -> any Encodable & Sendable {
        let queue: QueueName = try arguments.requiredIdentifier("queue_name")
        try context.caller.checkAccess(to: queue)
        let page = Page(of: try await context.repository.pendingTasks(in: queue), try arguments.pageRequest()) {
            $0.handOutPosition
        }
        return PagedList(key: "tasks", page, with: ["queue_name": queue.rawValue])
    }
}
