import EnsembleCore

/// `delete_project`: removes a project and everything that belongs to it.
struct DeleteProjectTool: ToolHandler {
    static let definition = ToolDefinition(
        name: "delete_project",
        title: "Delete project",
        description: """
            Delete a project with its worker types, tickets, comments, workers and queued tasks. \
            Refused while any of its workers is running: stop them first. Events are kept.
            """,
        parameters: [.required("repository_name", .string, "The project's repository name.")],
        effect: .idempotentChange
    )

    let context: ToolContext

    func call(_ arguments: ToolArguments) async throws -> any Encodable & Sendable {
        try await context.repository.deleteProject(try arguments.requiredIdentifier("repository_name"))
    }
}
