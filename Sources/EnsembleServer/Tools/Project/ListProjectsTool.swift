import EnsembleCore

/// `list_projects`: every registered project.
struct ListProjectsTool: ToolHandler {
    static let definition = ToolDefinition(
        name: "list_projects",
        title: "List projects",
        description: "List all registered projects, by repository name.",
        effect: .readOnly
    )

    let context: ToolContext

    func call(_ arguments: ToolArguments) async throws -> any Encodable & Sendable {
        let projects = try await context.repository.listProjects()
        return ProjectList(projects: projects, count: projects.count)
    }

    private struct ProjectList: Encodable {
        var projects: [Project]
        var count: Int
    }
}
