import EnsembleCore

/// `get_ticket`: a ticket with all its comments in order and its task history.
struct GetTicketTool: ToolHandler {
    static let definition = ToolDefinition(
        name: "get_ticket",
        title: "Get ticket",
        description: """
            Show a ticket: title, description, execution plan, current stage and state, the tickets it depends \
            on (depends_on, each with its state) and those depending on it (dependents), its comments \
            (stage reports) in the order they were written, and its recent tasks. The newest comments come \
            in full; when the history is long, older ones are excerpts (truncated_from gives their length) \
            and older_comments counts those left out: pass up_to_comment_id (the id of an excerpt, or one \
            below the first comment shown) to read further back.
            """,
        parameters: [
            .ticketID,
            .optional(
                "up_to_comment_id",
                .integer(minimum: 1, maximum: nil),
                "Only comments up to and including this comment id, to page back through a long history."
            ),
        ],
        effect: .readOnly
    )

    let context: ToolContext

    func call(_ arguments: ToolArguments) async throws -> any Encodable & Sendable {
        let ticket: TicketID = try arguments.requiredIdentifier("ticket_id")
        let last = arguments.integer("up_to_comment_id").map(Int64.init)
        // A worker sees only tickets its queue had, checked in the same read.
        let queue: QueueName? = if case .worker(let identity) = context.caller { identity.queueName } else { nil }
        return try await context.repository.ticketDetails(
            ticket,
            upToComment: last,
            within: .toolOutput,
            visibleTo: queue
        )
    }
}
