import EnsembleCore

/// `get_next_task`: atomically claims the next task of the caller's queue.
struct GetNextTaskTool: ToolHandler {
    static let definition = ToolDefinition(
        name: "get_next_task",
        title: "Get next task",
        description: """
            Claim the next task of your queue (most urgent first, then oldest). Returns task_id, attempt, \
            ticket_id and stage: read the ticket with get_ticket, do the stage, then call complete_ticket_stage. \
            When the queue is empty it says so: then exit. While you hold a task, you get that task again.
            """,
        parameters: [.required("queue_name", .string, "Your queue's name, e.g. queue_coder_1.")],
        effect: .destructive
    )

    let context: ToolContext

    func call(_ arguments: ToolArguments) async throws -> any Encodable & Sendable {
        let queue: QueueName = try arguments.requiredIdentifier("queue_name")
        try context.caller.checkAccess(to: queue)
        guard let task = try await context.ensemble.claimNextTask(in: queue, by: context.caller.workerID) else {
            return Claim(
                task: nil,
                queueEmpty: true,
                message: "Queue empty — exit now: end your turn without further tool calls."
            )
        }
        context.claims.record(task.taskId, attempt: task.attempt)
        return Claim(
            task: task,
            queueEmpty: false,
            message: "Call get_ticket with ticket_id '\(task.ticketId)', do stage \(task.stage) (\(task.workerType)), "
                + "then complete_ticket_stage with task_id \(task.taskId)."
        )
    }

    private struct Claim: Encodable {
        var task: ClaimedTask?
        var queueEmpty: Bool
        var message: String
    }
}
