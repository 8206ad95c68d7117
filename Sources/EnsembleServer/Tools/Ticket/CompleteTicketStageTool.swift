import EnsembleCore

/// `complete_ticket_stage`: reports a stage done and moves the ticket on, in one transaction.
struct CompleteTicketStageTool: ToolHandler {
    static let definition = ToolDefinition(
        name: "complete_ticket_stage",
        title: "Complete ticket stage",
        description: """
            Finish your stage of a ticket: your report becomes the stage's comment, the task is done, and the \
            ticket moves on by itself. outcome: next_stage (default) hands it to the next stage or closes it \
            after the last; prev_stage sends it back to the previous stage for rework; needs_attention holds it \
            for the coordinator. Refused if the task is no longer your current claim. A worker type with \
            can_create_tickets may declare the work it planned as new_tickets: each entry has a ref, and \
            depends_on names refs of other entries (or existing ticket ids) that must complete first; the \
            server creates them all with this completion (their ids come back in created_tickets), and runs \
            each once its dependencies completed.
            """,
        parameters: [
            .ticketID,
            .required("task_id", .integer(minimum: 1, maximum: nil), "The task_id get_next_task returned."),
            .required("report", .text(.report), "Your detailed report for the next stage and the coordinator."),
            .optional(
                "outcome",
                .oneOf(StageOutcome.allCases.map(\.rawValue)),
                "next_stage (default), prev_stage or needs_attention."
            ),
            .optional("reason", .text(.summary), "Why, for prev_stage and needs_attention."),
            .optional("attempt", .integer(minimum: 1, maximum: nil), "The attempt get_next_task returned (fencing)."),
            TicketParameters.newTickets,
        ],
        effect: .destructive
    )

    let context: ToolContext

    func call(_ arguments: ToolArguments) async throws -> any Encodable & Sendable {
        let task = TaskID(Int64(arguments.integer("task_id") ?? 0))
        let completion = try StageCompletion(
            ticketId: try arguments.requiredIdentifier("ticket_id"),
            taskId: task,
            // Left out, the attempt this session claimed still fences the completion.
            attempt: arguments.integer("attempt") ?? context.claims.attempt(of: task),
            report: arguments.string("report") ?? "",
            outcome: arguments.enumeration("outcome") ?? .nextStage,
            reason: arguments.string("reason").flatMap { $0.isEmpty ? nil : $0 },
            newTickets: try arguments.ticketBatch()
        )
        let result = try await context.ensemble.completeStage(completion, by: context.caller.workerID)
        return Completion(result: result, message: "Stage recorded. Call get_next_task for your next task.")
    }

    private struct Completion: Encodable {
        var result: StageCompletionResult
        var message: String
    }
}
