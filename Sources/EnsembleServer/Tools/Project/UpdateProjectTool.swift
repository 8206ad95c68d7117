import EnsembleCore

/// `update_project`: changes some fields of a project.
struct UpdateProjectTool: ToolHandler {
    static let definition = ToolDefinition(
        name: "update_project",
        title: "Update project",
        description:
            "Change a project's path, description, rules, patterns or workspace settings. Fields left out stay as they are.",
        parameters: [
            .required("repository_name", .string, "The project's repository name."),
            .optional("path", .text(.path), "New absolute path of an existing directory."),
            .optional("description", .text(.summary), "New description."),
            .optional("rules", .text(.guidance), "New rules for every worker of this project."),
            .optional("patterns", .text(.guidance), "New coding patterns and conventions."),
        ] + ProjectParameters.workspace,
        effect: .idempotentChange
    )

    let context: ToolContext

    func call(_ arguments: ToolArguments) async throws -> any Encodable & Sendable {
        let update = ProjectUpdate(
            path: try arguments.string("path").map { path throws(EnsembleError) in try ProjectDirectory.resolve(path) },
            description: arguments.string("description"),
            rules: arguments.string("rules"),
            patterns: arguments.string("patterns"),
            workspace: ProjectParameters.workspace(arguments)
        )
        return try await context.ensemble.updateProject(
            try arguments.requiredIdentifier("repository_name"),
            with: update
        )
    }
}
