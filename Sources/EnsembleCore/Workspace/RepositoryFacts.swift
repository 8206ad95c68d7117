/// What a project's directory is, as git sees it.
package struct RepositoryFacts: Equatable, Sendable {
    package var path: String
    /// Whether it is (inside) a git work tree.
    package var isWorkTree: Bool
    /// Whether that repository has at least one commit.
    package var hasCommit: Bool
    /// The branch checked out there; `nil` when detached or not a repository.
    package var currentBranch: String?
    /// The local branches.
    package var branches: [String]
    /// The top level of its work tree; worktrees mirror the whole repository, so a project in a
    /// subdirectory cannot have them.
    package var topLevel: String?

    package init(
        path: String,
        isWorkTree: Bool = false,
        hasCommit: Bool = false,
        currentBranch: String? = nil,
        branches: [String] = [],
        topLevel: String? = nil
    ) {
        self.path = path
        self.isWorkTree = isWorkTree
        self.hasCommit = hasCommit
        self.currentBranch = currentBranch
        self.branches = branches
        self.topLevel = topLevel ?? (isWorkTree ? path : nil)
    }

    /// Whether the directory is its repository's top level.
    package var isTopLevel: Bool { isWorkTree && topLevel == path }

    /// The isolation a new project gets when it does not say: a worktree per ticket where git can
    /// make one (a work tree with a commit), else none.
    package var defaultIsolation: ProjectIsolation {
        isTopLevel && hasCommit && currentBranch != nil ? .worktree : .projectDirectory
    }
}
