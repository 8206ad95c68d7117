import EnsembleCore

/// `get_ticket`: a ticket with all its comments in order and its task history.
struct GetTicketTool: ToolHandler {
    static let definition = ToolDefinition(
        name: "get_ticket",
        title: "Get ticket",
        description: """
            Show a ticket: title, description, execution plan, current stage and state, all comments \
            (stage reports) in the order they were written, and the history of its queued tasks.
            """,
        parameters: [.ticketID],
        effect: .readOnly
    )

    let context: ToolContext

    func call(_ arguments: ToolArguments) async throws -> any Encodable & Sendable {
        let ticket: TicketID = try arguments.requiredIdentifier("ticket_id")
        try await context.checkAccess(to: ticket)
        return try await context.repository.ticketDetails(ticket)
    }
}
