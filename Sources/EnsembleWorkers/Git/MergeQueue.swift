package import EnsembleCore
import Foundation
package import Logging
import ServiceLifecycle

/// Lands finished tickets on their base branch, one at a time, and keeps the worktrees in step
/// with the tickets.
///
/// A merge is computed without touching any working tree (`git merge-tree --write-tree`, then
/// `commit-tree`); `merge_check` runs on the result in the ticket's own worktree; then the base
/// branch moves: by a compare-and-swap `update-ref` when no checkout has it, or by a fast-forward
/// in the checkout that has it, and only when that checkout has no uncommitted changes to tracked
/// files. Otherwise the merge waits (`merge_blocked`, once per reason) and is tried again. A
/// conflict or a failing check sends the ticket back to the stage that owns it
/// (`MergeRules.owner`). Every step can be repeated after a crash: a branch already contained in
/// its base is recorded as merged.
///
/// Woken by the event bell (a ticket enters `merging` in a committed write); while a merge waits
/// it looks again every `retryInterval`; idle, it sleeps. Start-up reconciles the worktrees first
/// (`GitWorkspaces.reconcile`), before any worker runs.
package actor MergeQueue: Service {
    let workspaces: GitWorkspaces
    let bell: EventBell
    let retryInterval: Duration
    let logger: Logger

    package init(workspaces: GitWorkspaces, bell: EventBell, retryInterval: Duration = .seconds(5), logger: Logger) {
        self.workspaces = workspaces
        self.bell = bell
        self.retryInterval = retryInterval
        self.logger = logger
    }

    private var git: Git { workspaces.git }
    private var store: any WorktreeStore & ProjectStore & TicketStore { workspaces.store }

    package func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            let generation = bell.generation
            // A shutdown does not wait for a merge check: it is cut short and runs again at the next start.
            let waiting = await cancelWhenGracefulShutdown { await self.pass() }
            let bell = bell
            let interval = retryInterval
            await cancelWhenGracefulShutdown {
                if waiting {
                    await bell.wait(after: generation, timeout: interval)
                } else {
                    await bell.wait(after: generation)
                }
            }
        }
    }

    /// Merges what waits. (A closed ticket's worktree goes when it closes, `Workspaces.release`.)
    /// - Returns: Whether a merge still waits (for a clean checkout, or after an error).
    @discardableResult
    package func pass() async -> Bool {
        var waiting = false
        for ticket in (try? await store.ticketsToMerge()) ?? [] {
            do {
                waiting = try await merge(ticket) || waiting
            } catch {
                waiting = true
                logger.error(
                    "Cannot merge a ticket",
                    metadata: [LogKey.ticketID: "\(ticket.ticketId)", LogKey.error: "\(error)"]
                )
                try? await store.noteMergeWaiting(ticket.ticketId, reason: "the merge failed: \(error)")
            }
        }
        return waiting
    }

    /// Tries to land `ticket`.
    /// - Returns: Whether its merge waits.
    private func merge(_ ticket: Ticket) async throws -> Bool {
        let project = try await store.project(ticket.projectId)
        guard let base = project.workspace.baseBranch,
            let worktree = try await store.worktree(of: ticket.ticketId)
        else {
            try await store.holdFromMerge(
                ticket.ticketId,
                reason: "it has no worktree or base branch to merge: run a stage again with update_ticket_stage, "
                    + "or close it"
            )
            return false
        }
        if let commit = worktree.mergedCommit {
            return try await finish(ticket, worktree, commit: commit, base: base)
        }
        let baseRef = "refs/heads/\(base)"
        if FileManager.default.fileExists(atPath: worktree.path) {
            _ = try await git.commitAll(
                at: worktree.path,
                message: "\(ticket.ticketId): work left in its worktree after its last stage",
                excluding: project.workspace.worktreeInclude
            )
        }
        guard let baseTip = await git.commit(of: baseRef, in: project.path),
            let branchTip = await git.commit(of: "refs/heads/\(worktree.branch)", in: project.path)
        else { throw GitWorkspaces.PreparationFailure(description: "\(base) or \(worktree.branch) has no commit") }
        if await git.isAncestor(branchTip, of: baseTip, in: project.path) {
            return try await finish(ticket, worktree, commit: baseTip, base: base)
        }
        // A checkout with uncommitted changes blocks the merge: say so before computing anything
        // (and before running the merge check again every few seconds).
        if let reason = try await blockingCheckout(of: base, at: try await checkout(of: base, in: project)) {
            try await store.noteMergeWaiting(ticket.ticketId, reason: reason)
            return true
        }
        let merged: String
        if await git.isAncestor(baseTip, of: branchTip, in: project.path) {
            merged = branchTip
        } else {
            let tree = await git.run(
                ["merge-tree", "--write-tree", "--name-only", "--no-messages", baseTip, branchTip],
                in: project.path
            )
            let lines = tree.output.split(separator: "\n").map(String.init)
            if tree.status == 1 {
                try await sendBackForConflict(ticket, files: Array(lines.dropFirst()), base: base)
                return false
            }
            guard tree.succeeded, let treeID = lines.first else {
                throw Git.Failure(command: "merge-tree", result: tree)
            }
            merged = try await git.output(
                [
                    "-c", "commit.gpgsign=false", "commit-tree", treeID, "-p", baseTip, "-p", branchTip, "-m",
                    "Merge \(worktree.branch) into \(base)\n\n\(ticket.ticketId): \(ticket.title)",
                ],
                in: project.path
            )
        }
        if let check = project.workspace.mergeCheck {
            if !FileManager.default.fileExists(atPath: worktree.path) {
                // Gone since its last stage (a restart lost it): made again, with its files and setup.
                _ = try await workspaces.prepare(ticket, in: project)
            }
            guard try await passesCheck(check, of: ticket, merged: merged, in: worktree, project: project) else {
                return false
            }
        }
        // The coordinator may have moved or closed it while the check ran: then it does not land.
        guard try await store.ticketDetails(ticket.ticketId).ticket.state == .merging else { return false }
        guard try await advance(base, from: baseTip, to: merged, of: ticket, in: project) else { return true }
        return try await finish(ticket, worktree, commit: merged, base: base)
    }

    /// The checkout that has `base` checked out, if one has (git lets only one).
    private func checkout(of base: String, in project: Project) async throws -> String? {
        try await git.worktrees(of: project.path).first { $0.branch == base }?.path
    }

    /// Why `base` cannot move now: `checkout`, which has it, has uncommitted changes to tracked files.
    private func blockingCheckout(of base: String, at checkout: String?) async throws -> String? {
        guard let checkout, try await git.hasTrackedChanges(at: checkout) else { return nil }
        return "\(base) is checked out at \(checkout) with uncommitted changes; the merge waits until that "
            + "checkout is clean (commit or stash the changes), and never touches them"
    }

    /// Moves `base` from `old` to `new`, never overwriting a person's uncommitted changes.
    /// - Returns: Whether it moved; when not, why is recorded and the merge waits.
    private func advance(_ base: String, from old: String, to new: String, of ticket: Ticket, in project: Project)
        async throws -> Bool
    {
        guard let checkout = try await checkout(of: base, in: project) else {
            // Compare and swap: refused when the base moved meanwhile, and then computed again.
            return await git.run(["update-ref", "refs/heads/\(base)", new, old], in: project.path).succeeded
        }
        if let reason = try await blockingCheckout(of: base, at: checkout) {
            try await store.noteMergeWaiting(ticket.ticketId, reason: reason)
            return false
        }
        // Someone committed on the base meanwhile: not a problem to report, the merge is computed again.
        guard await git.commit(of: "refs/heads/\(base)", in: project.path) == old else { return false }
        let forward = await git.run(["merge", "--ff-only", "-q", new], in: checkout)
        if !forward.succeeded {
            try await store.noteMergeWaiting(
                ticket.ticketId,
                reason: "\(base) could not be fast-forwarded in \(checkout): \(forward.tail(4))"
            )
        }
        return forward.succeeded
    }

    /// Runs `check` on `merged` in the ticket's worktree; a failure sends the ticket back.
    private func passesCheck(
        _ check: String,
        of ticket: Ticket,
        merged: String,
        in worktree: Worktree,
        project: Project
    )
        async throws -> Bool
    {
        try await git.output(["merge", "--ff-only", "-q", merged], in: worktree.path)
        let result = await git.runner.runShell(
            check,
            in: worktree.path,
            environment: ["VIBE_ENSEMBLE_TICKET_ID": ticket.ticketId.rawValue],
            timeout: .seconds(project.workspace.mergeCheckTimeoutSeconds)
        )
        guard !result.succeeded else { return true }
        // Cut short by a shutdown: no verdict, the merge is tried again at the next start.
        if Task.isCancelled || Task.isShuttingDownGracefully { return false }
        let stage = MergeRules.owner(of: [], among: try await changes(of: ticket, base: project.workspace.baseBranch))
        let how =
            result.timedOut ? "timed out after \(project.workspace.mergeCheckTimeoutSeconds) s" : "failed"
        let tail = result.tail()
        try await store.sendBackFromMerge(
            ticket.ticketId,
            to: stage,
            because: .mergeCheckFailed,
            reason: "merge_check `\(check)` \(how) on the merged result",
            comment: """
                The merge check `\(check)` \(how) on \(ticket.ticketId) merged with \(project.workspace.baseBranch ?? "its base branch") \
                (your branch now includes it). Fix what it reports, commit, and complete the stage. Its output ended with:
                \(tail)
                """
        )
        return false
    }

    private func sendBackForConflict(_ ticket: Ticket, files: [String], base: String) async throws {
        let stage = MergeRules.owner(of: Set(files), among: try await changes(of: ticket, base: base))
        let list = files.isEmpty ? "(git named no file)" : files.joined(separator: ", ")
        try await store.sendBackFromMerge(
            ticket.ticketId,
            to: stage,
            because: .mergeConflict,
            reason: "merging into \(base) conflicts in \(list)",
            comment: """
                Merging \(ticket.ticketId) into \(base) conflicts in: \(list). Another ticket changed the same lines. \
                Run `git merge \(base)` in your working directory, resolve the conflicts keeping both tickets' intent, \
                commit the merge, and complete the stage; the later stages then run again and the merge is retried.
                """
        )
    }

    /// What each completed stage of `ticket` changed, from the branch tips the stages left.
    private func changes(of ticket: Ticket, base: String?) async throws -> [MergeRules.StageChange] {
        guard let worktree = try await store.worktree(of: ticket.ticketId) else { return [] }
        var previous = worktree.baseCommit
        var found: [MergeRules.StageChange] = []
        for (stage, commit) in try await store.stageCommits(of: ticket.ticketId) {
            let names = (try? await git.output(["diff", "--name-only", previous, commit], in: worktree.path)) ?? ""
            found.append(
                MergeRules.StageChange(stage: stage, files: Set(names.split(separator: "\n").map(String.init)))
            )
            previous = commit
        }
        return found
    }

    /// Records the landed commit, removes the worktree and the branch, then closes the ticket: once
    /// `ticket_merged` is out, nothing of the ticket is left in git but its commits.
    private func finish(_ ticket: Ticket, _ worktree: Worktree, commit: String, base: String) async throws -> Bool {
        try await store.recordMergeCommit(ticket.ticketId, commit: commit)
        guard try await store.ticketDetails(ticket.ticketId).ticket.state == .merging else { return false }
        await workspaces.remove(worktree, deletesBranch: true, forgets: false, mergedInto: base)
        try await store.recordMerged(ticket.ticketId, commit: commit, baseBranch: base)
        logger.info(
            "Merged a ticket into its base branch",
            metadata: [LogKey.ticketID: "\(ticket.ticketId)", "git.commit": "\(commit)", "git.branch": "\(base)"]
        )
        return false
    }
}
