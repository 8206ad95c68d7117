/// A partial update of a project: `nil` fields stay as they are.
package struct ProjectUpdate: Equatable, Sendable {
    /// The resolved, existing directory; see `ProjectDirectory.resolve(_:)`.
    package var path: String?
    package var description: String?
    package var rules: String?
    package var patterns: String?
    /// The workspace fields to change, resolved against the directory by `Ensemble.updateProject`.
    package var workspace: WorkspaceUpdate
    /// The workspace after the update, once resolved; `nil` keeps the stored one.
    package var resolvedWorkspace: WorkspaceSettings?

    package init(
        path: String? = nil,
        description: String? = nil,
        rules: String? = nil,
        patterns: String? = nil,
        workspace: WorkspaceUpdate = WorkspaceUpdate()
    ) {
        self.path = path
        self.description = description
        self.rules = rules
        self.patterns = patterns
        self.workspace = workspace
    }

    /// Whether the update changes nothing.
    package var isEmpty: Bool {
        path == nil && description == nil && rules == nil && patterns == nil && workspace.isEmpty
    }
}
