import EnsembleCore

/// `list_tickets`: tickets of one project or all, optionally in one state, a page at a time.
struct ListTicketsTool: ToolHandler {
    static let definition = ToolDefinition(
        name: "list_tickets",
        title: "List tickets",
        description: """
            List tickets, oldest first, optionally of one project and in one state (status "blocked" lists the \
            tickets waiting for others to complete), a page at a time: next_cursor (null on the last page) is \
            the cursor of the next page.
            """,
        parameters: [
            .projectID(required: false, "Only this project's tickets."),
            .optional("status", .oneOf(TicketState.allCases.map(\.rawValue)), "Only tickets in this state."),
            .pageLimit,
            .pageCursor,
        ],
        effect: .readOnly
    )

    let context: ToolContext

    func call(_ arguments: ToolArguments) async throws -> any Encodable & Sendable {
        let page = try await context.repository.ticketPage(
            in: try arguments.identifier("project_id"),
            state: arguments.enumeration("status"),
            page: try arguments.pageRequest()
        )
        return PagedList(key: "tickets", page)
    }
}
