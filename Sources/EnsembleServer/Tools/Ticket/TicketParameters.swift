import EnsembleCore

/// The fields of a ticket to file, shared by `create_ticket` and the entries of
/// `complete_ticket_stage`'s `new_tickets`, so both take the same names and limits.
enum TicketParameters {
    static let title = ToolParameter.required("title", .text(.title), "A short title.")
    static let description = ToolParameter.required(
        "description",
        .text(.document),
        "What needs doing, with all the context a worker needs."
    )
    static let executionPlan = ToolParameter.required(
        "execution_plan",
        .stringList,
        "Worker types, one per stage, in order (at least one)."
    )
    static let priority = ToolParameter.optional(
        "priority",
        .oneOf(TicketPriority.allCases.map(\.rawValue)),
        "How urgent the ticket is. Default: medium."
    )
    static let maxRounds = ToolParameter.optional(
        "max_rounds",
        .integer(
            minimum: StageProgression.maxRoundsRange.lowerBound,
            maximum: StageProgression.maxRoundsRange.upperBound
        ),
        "How often the ticket may be sent back for rework (prev_stage) before it is held for you. Default: 5."
    )

    /// The entries of `new_tickets`.
    static let newTickets = ToolParameter.optional(
        "new_tickets",
        .objectList(
            [
                .required("ref", .string, "A short name for this entry, e.g. \"api\", that depends_on may use."),
                title, description, executionPlan,
                .optional(
                    "depends_on",
                    .stringList,
                    "Refs of other entries, or ids of existing tickets, that must complete before this one runs."
                ),
                priority, maxRounds,
            ],
            maximumCount: TicketBatch.maximumCount
        ),
        "Tickets to create with this completion, when your worker type may (can_create_tickets): all are "
            + "created with their dependencies in the same transaction, or none when any entry is wrong."
    )
}

extension ToolArguments {
    /// The execution plan argument as worker type names.
    /// - Throws: `EnsembleError.invalidIdentifier` for a name that is not a valid worker type.
    func executionPlan() throws(EnsembleError) -> [WorkerTypeName] {
        try (strings("execution_plan") ?? []).map { name throws(EnsembleError) in try WorkerTypeName(validating: name) }
    }

    /// `new_tickets`, checked as a whole (`TicketBatch`); empty when absent.
    /// - Throws: `EnsembleError` for a wrong entry, a repeated ref or a cycle among the entries.
    func ticketBatch() throws(EnsembleError) -> TicketBatch {
        guard let entries = objects("new_tickets"), !entries.isEmpty else { return .empty }
        return try TicketBatch(
            entries.map { entry throws(EnsembleError) in
                try PlannedTicket(
                    ref: entry.string("ref") ?? "",
                    title: entry.string("title") ?? "",
                    description: entry.string("description") ?? "",
                    executionPlan: try entry.executionPlan(),
                    dependsOn: entry.strings("depends_on") ?? [],
                    priority: entry.enumeration("priority") ?? .medium,
                    maxRounds: entry.integer("max_rounds") ?? StageProgression.defaultMaxRounds
                )
            }
        )
    }
}
