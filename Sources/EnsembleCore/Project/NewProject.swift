/// The validated input for registering a project.
package struct NewProject: Equatable, Sendable {
    package var repositoryName: ProjectID
    /// The resolved, existing directory; see `ProjectDirectory.resolve(_:)`.
    package var path: String
    package var description: String?
    package var rules: String?
    package var patterns: String?
    /// The workspace, resolved against the directory (see `WorkspaceUpdate.settingsForNewProject`).
    package var workspace: WorkspaceSettings

    package init(
        repositoryName: ProjectID,
        path: String,
        description: String? = nil,
        rules: String? = nil,
        patterns: String? = nil,
        workspace: WorkspaceSettings = WorkspaceSettings()
    ) {
        self.repositoryName = repositoryName
        self.path = path
        self.description = description
        self.rules = rules
        self.patterns = patterns
        self.workspace = workspace
    }
}
