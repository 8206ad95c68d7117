import EnsembleCore

/// `get_project`: one project.
struct GetProjectTool: ToolHandler {
    static let definition = ToolDefinition(
        name: "get_project",
        title: "Get project",
        description: "Show one project: path, description, rules and patterns.",
        parameters: [.required("repository_name", .string, "The project's repository name.")],
        effect: .readOnly
    )

    let context: ToolContext

    func call(_ arguments: ToolArguments) async throws -> any Encodable & Sendable {
        try await context.repository.project(try arguments.requiredIdentifier("repository_name"))
    }
}
