import EnsembleCore

/// `create_worker_type`: defines a specialised worker for a project.
struct CreateWorkerTypeTool: ToolHandler {
    static let definition = ToolDefinition(
        name: "create_worker_type",
        title: "Create worker type",
        description: """
            Define a worker type for a project: a specialised system prompt (planner, coder, reviewer, …) \
            and how its Claude Code workers run. Ticket execution plans list worker types as stages.
            """,
        parameters: [
            .projectID(required: true),
            .workerType,
            .required(
                "system_prompt",
                .text(.document),
                "The worker type's system prompt: its role, focus and report format."
            ),
        ] + WorkerTypeParameters.settings,
        effect: .additive
    )

    let context: ToolContext

    func call(_ arguments: ToolArguments) async throws -> any Encodable & Sendable {
        let settings = WorkerTypeSettings(
            model: arguments.string("model").flatMap { $0.isEmpty ? nil : $0 },
            permissionMode: arguments.enumeration("permission_mode"),
            allowedTools: arguments.strings("allowed_tools").flatMap { $0.isEmpty ? nil : $0 },
            disallowedTools: arguments.strings("disallowed_tools").flatMap { $0.isEmpty ? nil : $0 },
            maxWorkers: arguments.integer("max_workers") ?? WorkerTypeSettings.defaultMaxWorkers,
            stageTimeoutSeconds: arguments.integer("stage_timeout_seconds")
                ?? WorkerTypeSettings.defaultStageTimeoutSeconds,
            sandbox: arguments.boolean("sandbox") ?? false,
            canCreateTickets: arguments.boolean("can_create_tickets") ?? false,
            session: arguments.enumeration("session") ?? .perTask
        )
        let workerType = try NewWorkerType(
            projectId: try arguments.requiredIdentifier("project_id"),
            workerType: try arguments.requiredIdentifier("worker_type"),
            description: arguments.string("description"),
            systemPrompt: arguments.string("system_prompt") ?? "",
            settings: settings
        )
        return try await context.ensemble.createWorkerType(workerType)
    }
}
