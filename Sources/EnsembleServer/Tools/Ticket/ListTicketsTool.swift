import EnsembleCore

/// `list_tickets`: tickets of one project or all, optionally in one state.
struct ListTicketsTool: ToolHandler {
    static let definition = ToolDefinition(
        name: "list_tickets",
        title: "List tickets",
        description: "List tickets, oldest first, optionally of one project and in one state.",
        parameters: [
            .projectID(required: false, "Only this project's tickets."),
            .optional("status", .oneOf(TicketState.allCases.map(\.rawValue)), "Only tickets in this state."),
        ],
        effect: .readOnly
    )

    let context: ToolContext

    func call(_ arguments: ToolArguments) async throws -> any Encodable & Sendable {
        let tickets = try await context.repository.listTickets(
            in: try arguments.identifier("project_id"),
            state: arguments.enumeration("status")
        )
        return TicketList(tickets: tickets, count: tickets.count)
    }

    private struct TicketList: Encodable {
        var tickets: [Ticket]
        var count: Int
    }
}
