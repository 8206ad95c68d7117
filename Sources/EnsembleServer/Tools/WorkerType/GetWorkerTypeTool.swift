import EnsembleCore

/// `get_worker_type`: one worker type with its full system prompt.
struct GetWorkerTypeTool: ToolHandler {
    static let definition = ToolDefinition(
        name: "get_worker_type",
        title: "Get worker type",
        description: "Show one worker type with its system prompt and settings.",
        parameters: [.projectID(required: true), .workerType],
        effect: .readOnly
    )

    let context: ToolContext

    func call(_ arguments: ToolArguments) async throws -> any Encodable & Sendable {
        try await context.repository.workerType(
            try arguments.requiredIdentifier("worker_type"),
            in: try arguments.requiredIdentifier("project_id")
        )
    }
}
