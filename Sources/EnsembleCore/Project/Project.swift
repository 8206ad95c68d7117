package import Foundation

/// A registered repository that workers operate in.
///
/// `rules` and `patterns` are free text injected into every worker prompt of the project.
package struct Project: Equatable, Sendable, Codable {
    package var repositoryName: ProjectID
    package var path: String
    package var description: String?
    package var rules: String?
    package var patterns: String?
    /// Whether tickets get worktrees of their own, and how they are merged back.
    package var workspace: WorkspaceSettings
    package var createdAt: Date
    package var updatedAt: Date

    package init(
        repositoryName: ProjectID,
        path: String,
        description: String? = nil,
        rules: String? = nil,
        patterns: String? = nil,
        workspace: WorkspaceSettings = WorkspaceSettings(),
        createdAt: Date,
        updatedAt: Date
    ) {
        self.repositoryName = repositoryName
        self.path = path
        self.description = description
        self.rules = rules
        self.patterns = patterns
        self.workspace = workspace
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
