/// The git side of a project's workspaces, as the operations need it: what a directory is, and
/// committing what a stage left in its ticket's worktree.
package protocol Workspaces: Sendable {
    /// What `path` is, as git sees it; a directory git knows nothing of is no work tree.
    func inspect(_ path: String) async -> RepositoryFacts
    /// Commits whatever `worker` left uncommitted in the worktree of the ticket it completes a stage
    /// of, with a message naming the ticket, stage and worker type.
    /// - Returns: The branch's tip afterwards, or `nil` when the ticket has no worktree (or the
    ///   completion is not `worker`'s current claim, which the store refuses anyway).
    func commitStage(for completion: StageCompletion, by worker: WorkerID) async throws -> String?
    /// Removes the worktree of `ticket`, closed by the coordinator: what it holds is committed to
    /// its branch first, and the branch stays.
    func release(_ ticket: TicketID) async
}

/// Workspaces for stores without git: no directory is a work tree and nothing is committed.
package struct NoWorkspaces: Workspaces {
    package init() {}

    package func inspect(_ path: String) async -> RepositoryFacts { RepositoryFacts(path: path) }

    package func commitStage(for completion: StageCompletion, by worker: WorkerID) async throws -> String? {
        nil
    }

    package func release(_ ticket: TicketID) async {}
}
