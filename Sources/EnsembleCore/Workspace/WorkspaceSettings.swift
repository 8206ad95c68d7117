/// Where a project's workers work: each ticket in a git worktree of its own, or all in the
/// project's checkout.
package enum ProjectIsolation: String, CaseIterable, Equatable, Sendable, Codable {
    /// A branch `vibe/<ticket_id>` and a worktree per ticket; finished tickets are merged back in order.
    case worktree
    /// Every worker runs in the project's own directory, as the original plan did (`none`; not
    /// called `.none`, which `Optional` would take for its own).
    case projectDirectory = "none"
}

/// How a project's tickets get their worktrees and are merged back.
package struct WorkspaceSettings: Equatable, Sendable, Codable {
    /// The allowed range of the setup and merge-check timeouts.
    package static let timeoutRange = 1...86_400
    /// The setup and merge-check timeout when a project does not set one: 10 minutes.
    package static let defaultTimeoutSeconds = 600

    package var isolation: ProjectIsolation
    /// The branch tickets start from and are merged into; `nil` for a project without isolation.
    package var baseBranch: String?
    /// A command run (`sh -c`) on the merged result in the ticket's worktree before the base branch moves.
    package var mergeCheck: String?
    package var mergeCheckTimeoutSeconds: Int
    /// Patterns of untracked files (`.env`, `config/*.local`) copied from the project's checkout
    /// into each new worktree, which has only tracked files; they are never committed.
    package var worktreeInclude: [String]
    /// A command run (`sh -c`) in each new worktree before its first stage, such as `npm ci`.
    package var worktreeSetup: String?
    package var worktreeSetupTimeoutSeconds: Int

    package init(
        isolation: ProjectIsolation = .projectDirectory,
        baseBranch: String? = nil,
        mergeCheck: String? = nil,
        mergeCheckTimeoutSeconds: Int = defaultTimeoutSeconds,
        worktreeInclude: [String] = [],
        worktreeSetup: String? = nil,
        worktreeSetupTimeoutSeconds: Int = defaultTimeoutSeconds
    ) {
        self.isolation = isolation
        self.baseBranch = baseBranch
        self.mergeCheck = mergeCheck
        self.mergeCheckTimeoutSeconds = mergeCheckTimeoutSeconds
        self.worktreeInclude = worktreeInclude
        self.worktreeSetup = worktreeSetup
        self.worktreeSetupTimeoutSeconds = worktreeSetupTimeoutSeconds
    }

    /// Checks the settings against `facts`, what the project's directory is.
    /// - Throws: `EnsembleError.invalidArgument` naming the first offending field.
    package func validate(against facts: RepositoryFacts) throws(EnsembleError) {
        for (name, seconds) in [
            ("merge_check_timeout_seconds", mergeCheckTimeoutSeconds),
            ("worktree_setup_timeout_seconds", worktreeSetupTimeoutSeconds),
        ] where !Self.timeoutRange.contains(seconds) {
            throw .invalidArgument(
                "\(name) must be between \(Self.timeoutRange.lowerBound) and \(Self.timeoutRange.upperBound)."
            )
        }
        for pattern in worktreeInclude
        where pattern.isEmpty || pattern.hasPrefix("/") || pattern.split(separator: "/").contains("..") {
            throw .invalidArgument(
                "worktree_include pattern '\(pattern)' must be a relative pattern inside the project, such as '.env'."
            )
        }
        guard isolation == .worktree else { return }
        guard facts.hasCommit else {
            throw .invalidArgument(
                "isolation 'worktree' needs a git work tree with at least one commit at \(facts.path): "
                    + "commit first, or use isolation 'none'."
            )
        }
        if let topLevel = facts.topLevel, !facts.isTopLevel {
            throw .invalidArgument(
                "isolation 'worktree' needs the repository's top level as the project path: \(facts.path) is inside "
                    + "\(topLevel). Register \(topLevel), or use isolation 'none'."
            )
        }
        guard let baseBranch, !baseBranch.isEmpty else {
            throw .invalidArgument(
                "isolation 'worktree' needs a base_branch: the directory has no branch checked out, so name one."
            )
        }
        guard facts.branches.contains(baseBranch) else {
            throw .invalidArgument(
                "base_branch '\(baseBranch)' is not a branch of the repository at \(facts.path): name an existing "
                    + "branch such as \(facts.currentBranch.map { "'\($0)'" } ?? "'main'")."
            )
        }
    }
}
