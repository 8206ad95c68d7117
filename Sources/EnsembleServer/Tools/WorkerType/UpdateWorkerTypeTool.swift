import EnsembleCore

/// `update_worker_type`: changes some fields of a worker type.
struct UpdateWorkerTypeTool: ToolHandler {
    static let definition = ToolDefinition(
        name: "update_worker_type",
        title: "Update worker type",
        description: """
            Change a worker type. Fields left out stay as they are; an empty model or an empty tool list \
            returns that setting to the server default. Running workers keep their settings until re-spawned.
            """,
        parameters: [
            .projectID(required: true),
            .workerType,
            .optional("system_prompt", .text(.document), "New system prompt."),
        ] + WorkerTypeParameters.settings,
        effect: .idempotentChange
    )

    let context: ToolContext

    func call(_ arguments: ToolArguments) async throws -> any Encodable & Sendable {
        let update = WorkerTypeUpdate(
            description: arguments.string("description"),
            systemPrompt: arguments.string("system_prompt"),
            model: arguments.string("model"),
            permissionMode: arguments.enumeration("permission_mode"),
            allowedTools: arguments.strings("allowed_tools"),
            disallowedTools: arguments.strings("disallowed_tools"),
            maxWorkers: arguments.integer("max_workers"),
            stageTimeoutSeconds: arguments.integer("stage_timeout_seconds"),
            sandbox: arguments.boolean("sandbox"),
            canCreateTickets: arguments.boolean("can_create_tickets"),
            session: arguments.enumeration("session")
        )
        return try await context.ensemble.updateWorkerType(
            try arguments.requiredIdentifier("worker_type"),
            in: try arguments.requiredIdentifier("project_id"),
            with: update
        )
    }
}
