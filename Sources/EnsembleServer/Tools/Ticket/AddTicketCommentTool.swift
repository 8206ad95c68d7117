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
            .required("content", .text(.report), "The comment text."),
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
        // A worker writes as itself: its id and type come from its token, never from its arguments.
        if case .worker(let identity) = context.caller {
            guard comment.workerId == identity.workerId else {
                throw EnsembleError.invalidArgument("worker_id must be your own id, '\(identity.workerId)'.")
            }
            guard comment.workerType == identity.workerType else {
                throw EnsembleError.invalidArgument(
                    "worker_type must be your own type, '\(identity.workerType)'."
                )
            }
        }
        try await context.checkAccess(to: comment.ticketId)
        return try await context.repository.addComment(comment)
    }
}
