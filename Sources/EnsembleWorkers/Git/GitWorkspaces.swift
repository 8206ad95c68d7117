package import EnsembleCore
import Foundation
package import Logging

/// Tickets' git worktrees: made before a ticket's first stage runs (with the project's untracked
/// files copied and its setup run), committed after each stage, cleaned after a run that died,
/// and removed once the ticket is done.
///
/// The database says which worktrees exist (`WorktreeStore`); the directories under `root` are
/// made to match (`reconcile`). Nothing here touches the project's own checkout.
package struct GitWorkspaces: Workspaces {
    /// Why a ticket's worktree could not be made ready.
    package struct PreparationFailure: Error, CustomStringConvertible {
        package var description: String
    }

    package let git: Git
    package let store: any WorktreeStore & ProjectStore & TicketStore
    /// `<data dir>/worktrees`.
    package let root: String
    package let logger: Logger

    package init(git: Git, store: any WorktreeStore & ProjectStore & TicketStore, root: String, logger: Logger) {
        self.git = git
        self.store = store
        self.root = root
        self.logger = logger
    }

    // MARK: - Workspaces

    package func inspect(_ path: String) async -> RepositoryFacts {
        await git.facts(of: path)
    }

    package func commitStage(for completion: StageCompletion, by worker: WorkerID) async throws -> String? {
        // One small read for a ticket without a worktree, the common case of a project without isolation.
        guard let worktree = try await store.worktree(of: completion.ticketId), isPresent(worktree) else { return nil }
        let details = try await store.ticketDetails(completion.ticketId)
        guard let task = details.tasks.last(where: { $0.id == completion.taskId }), task.state == .claimed,
            task.claimedBy == worker
        else { return nil }
        let (ticket, stage, workerType) = (details.ticket, task.stage, task.workerType)
        let project = try await store.project(ticket.projectId)
        let message = """
            \(ticket.ticketId) stage \(stage) (\(workerType)): \(ticket.title)

            Committed by vibe-ensemble after the \(workerType) completed stage \(stage) of \(ticket.ticketId).
            """
        _ = try await git.commitAll(at: worktree.path, message: message, excluding: project.workspace.worktreeInclude)
        return await git.commit(of: "HEAD", in: worktree.path)
    }

    package func release(_ ticket: TicketID) async {
        guard let worktree = try? await store.worktree(of: ticket) else { return }
        await remove(worktree, deletesBranch: false)
    }

    // MARK: - Preparing

    /// The worktree `ticket`'s next stage runs in, made (or re-made from its branch) when missing.
    /// - Throws: `PreparationFailure` saying why, with the setup's output tail; nothing is left half-made.
    package func prepare(_ ticket: Ticket, in project: Project) async throws -> String {
        if let recorded = try await store.worktree(of: ticket.ticketId), isPresent(recorded) {
            return recorded.path
        }
        let branch = Worktree.branch(of: ticket.ticketId)
        let path = self.path(of: ticket)
        try? await removeDirectory(path, of: project)
        let base = project.workspace.baseBranch ?? "HEAD"
        guard let baseCommit = await git.commit(of: "refs/heads/\(base)", in: project.path) else {
            throw PreparationFailure(description: "the base branch '\(base)' has no commit in \(project.path)")
        }
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true
        )
        let hasBranch = await git.commit(of: "refs/heads/\(branch)", in: project.path) != nil
        let add =
            hasBranch
            ? ["worktree", "add", "-q", path, branch] : ["worktree", "add", "-q", "-b", branch, path, baseCommit]
        let added = await git.run(add, in: project.path)
        guard added.succeeded else {
            throw PreparationFailure(description: "git \(add.joined(separator: " ")) failed:\n\(added.tail())")
        }
        do {
            try await copyIncluded(project, into: path)
            try await runSetup(of: project, for: ticket, in: path)
        } catch {
            try? await removeDirectory(path, of: project)
            // A branch made just now holds nothing yet; one that existed keeps its commits.
            if !hasBranch { _ = await git.run(["branch", "-D", branch], in: project.path) }
            throw error
        }
        try await store.recordWorktree(
            Worktree(
                ticketId: ticket.ticketId,
                projectId: project.repositoryName,
                branch: branch,
                path: path,
                baseCommit: baseCommit,
                createdAt: Date()
            )
        )
        logger.info(
            "Made a worktree for a ticket",
            metadata: [LogKey.ticketID: "\(ticket.ticketId)", "worktree.path": "\(path)", "git.branch": "\(branch)"]
        )
        return path
    }

    /// After a run of `ticket` that ended without completing its stage: its partial work is saved
    /// as a patch at `patchPath` and the worktree goes back to the last stage's commit, so the
    /// retry starts clean.
    package func setAsideUnfinishedWork(of ticket: TicketID, patchPath: String) async {
        guard let worktree = try? await store.worktree(of: ticket), isPresent(worktree),
            let project = try? await store.project(worktree.projectId)
        else { return }
        guard (try? await git.stageAll(at: worktree.path, excluding: project.workspace.worktreeInclude)) != nil
        else { return }
        guard await !git.run(["diff", "--cached", "--quiet", "HEAD"], in: worktree.path).succeeded else {
            _ = await git.run(["reset", "-q"], in: worktree.path)
            return
        }
        try? FileManager.default.createDirectory(
            atPath: (patchPath as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true
        )
        // Git writes the patch byte for byte; without it saved, the work stays where it is.
        let saved = await git.run(["diff", "--cached", "--binary", "--output=\(patchPath)", "HEAD"], in: worktree.path)
        let size = (try? FileManager.default.attributesOfItem(atPath: patchPath)[.size] as? Int) ?? 0
        guard saved.succeeded, size > 0 else {
            _ = await git.run(["reset", "-q"], in: worktree.path)
            return
        }
        _ = await git.run(["reset", "-q", "--hard", "HEAD"], in: worktree.path)
        let keep = project.workspace.worktreeInclude.flatMap { ["-e", $0] }
        _ = await git.run(["clean", "-fdq"] + keep, in: worktree.path)
        logger.info(
            "Set aside the unfinished work of a run",
            metadata: [LogKey.ticketID: "\(ticket)", "patch.path": "\(patchPath)"]
        )
    }

    // MARK: - Removing

    /// Removes `worktree`, committing what it holds first so its branch keeps every change.
    ///
    /// Its branch goes too when `deletesBranch` and every commit of it is in `mergedInto`; the
    /// record is forgotten unless `forgets` is false. When its changes cannot be committed it
    /// stays, and a later start tries again: nothing uncommitted is ever thrown away.
    package func remove(
        _ worktree: Worktree,
        deletesBranch: Bool,
        forgets: Bool = true,
        mergedInto base: String? = nil
    ) async {
        guard let project = try? await store.project(worktree.projectId) else {
            try? await store.forgetWorktree(of: worktree.ticketId)
            return
        }
        if isPresent(worktree) {
            do {
                _ = try await git.commitAll(
                    at: worktree.path,
                    message: "\(worktree.ticketId): work left in its worktree when it closed",
                    excluding: project.workspace.worktreeInclude
                )
            } catch {
                logger.error(
                    "Keeping a worktree whose changes cannot be committed",
                    metadata: [
                        LogKey.ticketID: "\(worktree.ticketId)", "worktree.path": "\(worktree.path)",
                        LogKey.error: "\(error)",
                    ]
                )
                return
            }
        }
        try? await removeDirectory(worktree.path, of: project)
        if deletesBranch, let base, let tip = await git.commit(of: "refs/heads/\(worktree.branch)", in: project.path),
            await git.isAncestor(tip, of: "refs/heads/\(base)", in: project.path)
        {
            _ = await git.run(["branch", "-D", worktree.branch], in: project.path)
        }
        if forgets { try? await store.forgetWorktree(of: worktree.ticketId) }
    }

    /// Makes the directories match the records: worktrees of closed tickets go (a stopped
    /// ticket's branch stays), a recorded worktree whose directory is gone is forgotten (its next
    /// stage makes it again from its branch), and directories nobody recorded are removed.
    ///
    /// At start-up (`afterRestart`), before any worker runs, the uncommitted changes a killed run
    /// left in a ticket's worktree are set aside as a patch in `patchDirectory`, so its retry
    /// starts from the last stage's commit.
    package func reconcile(afterRestart patchDirectory: String? = nil) async {
        guard let recorded = try? await store.worktrees() else { return }
        for worktree in recorded {
            guard let ticket = try? await store.ticketDetails(worktree.ticketId).ticket else {
                await remove(worktree, deletesBranch: false)
                continue
            }
            if ticket.state == .closed {
                await remove(worktree, deletesBranch: false)
            } else if !isPresent(worktree), ticket.state != .merging {
                // Its next stage makes it again from its branch; a merging one keeps its record for the merge.
                try? await store.forgetWorktree(of: worktree.ticketId)
            } else if let patchDirectory, ticket.state != .merging {
                let stamp = Int(Date().timeIntervalSince1970)
                await setAsideUnfinishedWork(
                    of: ticket.ticketId,
                    patchPath: (patchDirectory as NSString).appendingPathComponent("\(ticket.ticketId)-\(stamp).patch")
                )
            }
        }
        let known = Set(recorded.map(\.path))
        let projects = (try? await store.listProjects()) ?? []
        for project in projects where project.workspace.isolation == .worktree {
            let directory = (root as NSString).appendingPathComponent(Self.slug(of: project.repositoryName))
            for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
                let path = (directory as NSString).appendingPathComponent(name)
                guard !known.contains(path) else { continue }
                logger.info("Removing a worktree no ticket owns", metadata: ["worktree.path": "\(path)"])
                try? await removeDirectory(path, of: project)
            }
            _ = await git.run(["worktree", "prune"], in: project.path)
        }
    }

    // MARK: - Private helpers

    /// Where `ticket`'s worktree lives.
    func path(of ticket: Ticket) -> String {
        [root, Self.slug(of: ticket.projectId), ticket.ticketId.rawValue].joined(separator: "/")
    }

    static func slug(of project: ProjectID) -> String {
        project.rawValue.replacingOccurrences(of: "/", with: "+")
    }

    private func isPresent(_ worktree: Worktree) -> Bool {
        FileManager.default.fileExists(atPath: (worktree.path as NSString).appendingPathComponent(".git"))
    }

    private func removeDirectory(_ path: String, of project: Project) async throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        _ = await git.run(["worktree", "remove", "--force", "--force", path], in: project.path)
        if FileManager.default.fileExists(atPath: path) {
            try FileManager.default.removeItem(atPath: path)
        }
        _ = await git.run(["worktree", "prune"], in: project.path)
    }

    /// Copies the untracked files of the project's checkout matching `worktree_include`.
    private func copyIncluded(_ project: Project, into path: String) async throws {
        let patterns = project.workspace.worktreeInclude
        guard !patterns.isEmpty else { return }
        let listed = try await git.output(
            ["ls-files", "-z", "--others", "--"] + patterns.map { ":(glob)\($0)" },
            in: project.path
        )
        for file in listed.split(separator: "\0").map(String.init) where !file.isEmpty {
            let source = (project.path as NSString).appendingPathComponent(file)
            let target = (path as NSString).appendingPathComponent(file)
            try FileManager.default.createDirectory(
                atPath: (target as NSString).deletingLastPathComponent,
                withIntermediateDirectories: true
            )
            if FileManager.default.fileExists(atPath: target) { try FileManager.default.removeItem(atPath: target) }
            try FileManager.default.copyItem(atPath: source, toPath: target)
        }
    }

    private func runSetup(of project: Project, for ticket: Ticket, in path: String) async throws {
        guard let setup = project.workspace.worktreeSetup else { return }
        let result = await git.runner.runShell(
            setup,
            in: path,
            environment: ["VIBE_ENSEMBLE_TICKET_ID": ticket.ticketId.rawValue],
            timeout: .seconds(project.workspace.worktreeSetupTimeoutSeconds)
        )
        guard result.succeeded else {
            let how =
                result.timedOut
                ? "timed out after \(project.workspace.worktreeSetupTimeoutSeconds) s"
                : "failed with status \(result.status.map(String.init) ?? "signal")"
            throw PreparationFailure(description: "worktree_setup `\(setup)` \(how):\n\(result.tail())")
        }
    }
}
