import EnsembleCore

/// `close_ticket`: ends a ticket as completed or stopped.
struct CloseTicketTool: ToolHandler {
    static let definition = ToolDefinition(
        name: "close_ticket",
        title: "Close ticket",
        description: """
            Close a ticket as Completed or Stopped (default Completed), with an optional reason. Its tasks that \
            are still queued are discarded. Records a ticket_closed event.
            """,
        parameters: [
            .ticketID,
            .optional("status", .oneOf(["Completed", "Stopped"]), "How the ticket ended. Default: Completed."),
            .optional("resolution", .text(.summary), "Why the ticket is closed, in a sentence."),
        ],
        effect: .destructive
    )

    let context: ToolContext

    func call(_ arguments: ToolArguments) async throws -> any Encodable & Sendable {
        let resolution =
            TicketResolution(rawValue: (arguments.string("status") ?? "Completed").lowercased()) ?? .completed
        return try await context.ensemble.closeTicket(
            try arguments.requiredIdentifier("ticket_id"),
            resolution: resolution,
            reason: arguments.string("resolution").flatMap { $0.isEmpty ? nil : $0 }
        )
    }
}
