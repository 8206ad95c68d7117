import EnsembleCore
import GRDB

extension Project {
    /// Reads a row of `projects`.
    init(row: Row) throws {
        self.init(
            repositoryName: row.identifier("repository_name"),
            path: row["path"],
            description: row["description"],
            rules: row["rules"],
            patterns: row["patterns"],
            workspace: WorkspaceSettings(
                isolation: try row.enumeration("isolation", in: "projects"),
                baseBranch: row["base_branch"],
                mergeCheck: row["merge_check"],
                mergeCheckTimeoutSeconds: row["merge_check_timeout_seconds"],
                worktreeInclude: try row.stringArray("worktree_include", in: "projects"),
                worktreeSetup: row["worktree_setup"],
                worktreeSetupTimeoutSeconds: row["worktree_setup_timeout_seconds"]
            ),
            createdAt: row.date("created_at"),
            updatedAt: row.date("updated_at")
        )
    }
}
