import EnsembleCore

/// `create_ticket`: files a ticket with its execution plan.
struct CreateTicketTool: ToolHandler {
    static let definition = ToolDefinition(
        name: "create_ticket",
        title: "Create ticket",
        description: """
            File a ticket for a project. execution_plan lists the stages in order, each a worker type of the \
            project, e.g. ["planner", "coder", "reviewer"]. Each stage's worker reads the ticket and earlier \
            reports, does its part and reports back; the ticket then moves on by itself. Stage 0 is queued at once \
            for a worker of its type, spawned automatically if needed, unless depends_on names tickets that have \
            not completed yet: the ticket is then blocked, and its stage is queued by the completion of the last \
            of them. Records a ticket_created event (and ticket_blocked).
            """,
        parameters: [
            .projectID(required: true),
            TicketParameters.title,
            TicketParameters.description,
            TicketParameters.executionPlan,
            .optional("ticket_id", .string, "The ticket's id; left out, one is generated as PREFIX-N."),
            .optional(
                "depends_on",
                .stringList,
                "Ids of tickets of the same project that must close as completed before this one runs."
            ),
            TicketParameters.priority,
            TicketParameters.maxRounds,
        ],
        effect: .additive
    )

    let context: ToolContext

    func call(_ arguments: ToolArguments) async throws -> any Encodable & Sendable {
        let ticket = try NewTicket(
            projectId: try arguments.requiredIdentifier("project_id"),
            ticketId: try arguments.identifier("ticket_id"),
            title: arguments.string("title") ?? "",
            description: arguments.string("description") ?? "",
            executionPlan: try arguments.executionPlan(),
            priority: arguments.enumeration("priority") ?? .medium,
            maxRounds: arguments.integer("max_rounds") ?? StageProgression.defaultMaxRounds,
            dependsOn: try (arguments.strings("depends_on") ?? []).map { id throws(EnsembleError) in
                try TicketID(validating: id)
            }
        )
        return try await context.ensemble.createTicket(ticket)
    }
}
