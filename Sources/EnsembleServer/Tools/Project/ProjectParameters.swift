import EnsembleCore

/// The workspace parameters shared by `create_project` and `update_project`.
enum ProjectParameters {
    static let workspace: [ToolParameter] = [
        .optional(
            "isolation",
            .oneOf(ProjectIsolation.allCases.map(\.rawValue)),
            "worktree: each ticket works on branch vibe/<ticket_id> in a worktree of its own and is merged into "
                + "base_branch when done (default for a git work tree with a commit). none: every worker works in "
                + "the project's directory."
        ),
        .optional(
            "base_branch",
            .string,
            "Branch tickets start from and merge into. Default: the one checked out now."
        ),
        .optional(
            "merge_check",
            .text(.guidance),
            "Shell command run on the merged result in the ticket's worktree before base_branch moves, e.g. "
                + "'swift test'; a failure sends the ticket back with its output. Empty string: none."
        ),
        .optional(
            "merge_check_timeout_seconds",
            .integer(
                minimum: WorkspaceSettings.timeoutRange.lowerBound,
                maximum: WorkspaceSettings.timeoutRange.upperBound
            ),
            "How long merge_check may run. Default: 600."
        ),
        .optional(
            "worktree_include",
            .stringList,
            "Untracked files to copy from the project's directory into each new worktree, as patterns such as "
                + "[\".env\", \"config/*.local\"]; they are never committed."
        ),
        .optional(
            "worktree_setup",
            .text(.guidance),
            "Shell command run in each new worktree before its first stage (VIBE_ENSEMBLE_TICKET_ID is set), e.g. "
                + "'npm ci'; a failure holds the ticket with its output. Empty string: none."
        ),
        .optional(
            "worktree_setup_timeout_seconds",
            .integer(
                minimum: WorkspaceSettings.timeoutRange.lowerBound,
                maximum: WorkspaceSettings.timeoutRange.upperBound
            ),
            "How long worktree_setup may run. Default: 600."
        ),
    ]

    /// The workspace fields `arguments` give.
    static func workspace(_ arguments: ToolArguments) -> WorkspaceUpdate {
        WorkspaceUpdate(
            isolation: arguments.enumeration("isolation"),
            baseBranch: arguments.string("base_branch"),
            mergeCheck: arguments.string("merge_check"),
            mergeCheckTimeoutSeconds: arguments.integer("merge_check_timeout_seconds"),
            worktreeInclude: arguments.strings("worktree_include"),
            worktreeSetup: arguments.string("worktree_setup"),
            worktreeSetupTimeoutSeconds: arguments.integer("worktree_setup_timeout_seconds")
        )
    }
}
