/// Persistence of tickets' worktrees and merges, used by the worktree keeper and the merge queue.
///
/// Implementations report domain failures as `EnsembleError` and change nothing when they throw.
package protocol WorktreeStore: Sendable {
    /// The worktree recorded for `ticket`, if the server made one.
    func worktree(of ticket: TicketID) async throws -> Worktree?
    /// Every recorded worktree.
    func worktrees() async throws -> [Worktree]
    /// Records a worktree made ready for its ticket's stages.
    func recordWorktree(_ worktree: Worktree) async throws
    /// Forgets a ticket's worktree once it was removed.
    func forgetWorktree(of ticket: TicketID) async throws
    /// Holds `ticket` because its worktree could not be made ready (`worktree_setup_failed` with
    /// `reason`); the claim on `task` goes back without using an attempt, and nothing runs in a
    /// half-made worktree.
    func holdForWorkspace(_ ticket: TicketID, task: TaskID, reason: String) async throws
    /// The tickets waiting to be merged, oldest first.
    func ticketsToMerge() async throws -> [Ticket]
    /// The branch tip each completed stage of `ticket` left, in the order they completed.
    func stageCommits(of ticket: TicketID) async throws -> [(stage: Int, commit: String)]
    /// Records that `ticket`'s branch landed as `commit`, before its worktree and branch go.
    func recordMergeCommit(_ ticket: TicketID, commit: String) async throws
    /// Closes `ticket` as completed, its branch merged as `commit` (`ticket_merged`), forgets its
    /// worktree, and lets what depends on it run. A ticket no longer merging is left as it is.
    func recordMerged(_ ticket: TicketID, commit: String, baseBranch: String) async throws
    /// Sends `ticket` back to `stage` because its merge cannot land (`event` with `reason`, and
    /// `comment` for the worker), as `MergeRules.sendBack` says.
    func sendBackFromMerge(_ ticket: TicketID, to stage: Int, because event: EventType, reason: String, comment: String)
        async throws
    /// Records that `ticket`'s merge waits for `reason` (`merge_blocked`), once per reason.
    func noteMergeWaiting(_ ticket: TicketID, reason: String) async throws
    /// Holds a `merging` ticket that cannot be merged at all (`ticket_needs_attention` with `reason`).
    func holdFromMerge(_ ticket: TicketID, reason: String) async throws
}
