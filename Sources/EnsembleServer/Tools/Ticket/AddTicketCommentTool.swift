import EnsembleCore

/// `add_ticket_comment`: adds a report or note to a ticket.
struct AddTicketCommentTool: ToolHandler {
    static let definition = ToolDefinition(
        name: "add_ticket_comment",
        title: "Add ticket comment",
        description: """
            Add a comment to an open ticket: a worker's report for its stage, or a note from the coordinator \
            (use worker_type and worker_id 'coordinator'). Comments are shown in order by get_ticket.
            """,
        parameters: [
            .ticketID,
            .workerType,
            .required("worker_id", .string, "Who writes: a worker id such as 'worker_coder_1', or 'coordinator'."),
            .required(
                "stage_number",
                .integer(minimum: 0, maximum: nil),
                "The stage the comment is about (0 = first)."
            ),
            .required("content", .string, "The comment text."),
        ],
        effect: .additive
    )

    let context: ToolContext

    func call(_ arguments: ToolArguments) async throws -> any Encodable & Sendable {
        let comment = try NewComment(
            ticketId: try arguments.requiredIdentifier("ticket_id"),
            workerType: try arguments.requiredIdentifier("worker_type"),
            workerId: try arguments.requiredIdentifier("worker_id"),
            stageNumber: arguments.integer("stage_number") ?? 0,
            content: arguments.string("content") ?? ""
        )
        if case .worker(let identity) = context.caller, comment.workerId != identity.workerId {
            throw EnsembleError.invalidArgument("worker_id must be your own id, '\(identity.workerId)'.")
        }
        try await context.checkAccess(to: comment.ticketId)
        return try await context.repository.addComment(comment)
    }
}
