import EnsembleCore

/// `remove_ticket_dependency`: lets a ticket stop waiting for another.
struct RemoveTicketDependencyTool: ToolHandler {
    static let definition = ToolDefinition(
        name: "remove_ticket_dependency",
        title: "Remove ticket dependency",
        description: """
            Let a ticket stop waiting for another. When that was the last ticket a blocked ticket waited for, \
            its stage is queued at once (ticket_unblocked). A ticket on hold because a dependency was stopped \
            stays on hold: resume it with update_ticket_stage. Records dependency_removed.
            """,
        parameters: [
            .ticketID,
            .required("depends_on", .string, "The id of the ticket it should no longer wait for."),
        ],
        effect: .idempotentChange
    )

    let context: ToolContext

    func call(_ arguments: ToolArguments) async throws -> any Encodable & Sendable {
        try await context.ensemble.removeDependency(
            try arguments.requiredIdentifier("ticket_id"),
            dependsOn: try arguments.requiredIdentifier("depends_on")
        )
    }
}
