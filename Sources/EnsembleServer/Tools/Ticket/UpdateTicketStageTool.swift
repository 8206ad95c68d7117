import EnsembleCore

/// `update_ticket_stage`: the coordinator's override of where a ticket is in its plan.
struct UpdateTicketStageTool: ToolHandler {
    static let definition = ToolDefinition(
        name: "update_ticket_stage",
        title: "Update ticket stage",
        description: """
            Move an open ticket to another stage of its plan, given as a stage index (0 = first) or as the \
            worker type of that stage. Pending work on the ticket is cancelled and the ticket is queued again at \
            that stage, or stays blocked at it while tickets it depends on have not completed. Use it to resume a \
            ticket on hold (after dependency_failed, remove the stopped dependency first). Records a \
            ticket_stage_updated event.
            """,
        parameters: [
            .ticketID,
            .required("stage", .integerOrString, "The stage index, or the worker type of the stage."),
        ],
        effect: .idempotentChange
    )

    let context: ToolContext

    func call(_ arguments: ToolArguments) async throws -> any Encodable & Sendable {
        let selector: StageSelector =
            if let index = arguments.integer("stage") {
                .index(index)
            } else {
                .workerType(try arguments.requiredIdentifier("stage"))
            }
        return try await context.ensemble.updateStage(of: try arguments.requiredIdentifier("ticket_id"), to: selector)
    }
}
