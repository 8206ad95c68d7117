import EnsembleCore

/// `create_project`: registers a repository that workers will operate in.
struct CreateProjectTool: ToolHandler {
    static let definition = ToolDefinition(
        name: "create_project",
        title: "Create project",
        description: """
            Register a project (a repository on this machine) that workers will operate in. \
            path must be an existing directory; it is resolved to its canonical absolute path. \
            rules and patterns are injected into every worker prompt of the project. In a git work tree with a \
            commit, each ticket gets its own branch vibe/<ticket_id> and worktree (isolation 'worktree', from the \
            branch checked out now), and is merged back into base_branch once its last stage is done.
            """,
        parameters: [
            .required("repository_name", .string, "Unique project id, usually 'owner/repo'."),
            .required("path", .text(.path), "Absolute path of the project's directory."),
            .optional("description", .text(.summary), "What the project is."),
            .optional("rules", .text(.guidance), "Rules every worker of this project must follow."),
            .optional("patterns", .text(.guidance), "Coding patterns and conventions workers should use."),
        ] + ProjectParameters.workspace,
        effect: .additive
    )

    let context: ToolContext

    func call(_ arguments: ToolArguments) async throws -> any Encodable & Sendable {
        let project = NewProject(
            repositoryName: try arguments.requiredIdentifier("repository_name"),
            path: try ProjectDirectory.resolve(arguments.string("path") ?? ""),
            description: arguments.string("description"),
            rules: arguments.string("rules"),
            patterns: arguments.string("patterns")
        )
        return try await context.ensemble.createProject(project, workspace: ProjectParameters.workspace(arguments))
    }
}
