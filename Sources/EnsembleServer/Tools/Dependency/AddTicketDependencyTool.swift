import EnsembleCore

/// `add_ticket_dependency`: makes a ticket wait for another.
struct AddTicketDependencyTool: ToolHandler {
    static let definition = ToolDefinition(
        name: "add_ticket_dependency",
        title: "Add ticket dependency",
        description: """
            Make a ticket wait for another ticket of the same project: it runs only once depends_on closes as \
            completed. A ticket whose stage is queued is withdrawn from its queue and becomes blocked until then; \
            one whose stage a worker is doing now is refused. Cycles, a ticket depending on itself, other \
            projects' tickets and tickets closed as stopped are refused and change nothing. Records \
            dependency_added (and ticket_blocked when it starts waiting).
            """,
        parameters: [
            .ticketID,
            .required("depends_on", .string, "The id of the ticket it must wait for, e.g. 'SHOP-3'."),
        ],
        effect: .additive
    )

    let context: ToolContext

    func call(_ arguments: ToolArguments) async throws -> any Encodable & Sendable {
        try await context.ensemble.addDependency(
            try arguments.requiredIdentifier("ticket_id"),
            dependsOn: try arguments.requiredIdentifier("depends_on")
        )
    }
}
