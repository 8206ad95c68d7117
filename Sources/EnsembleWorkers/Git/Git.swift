package import EnsembleCore
import Foundation

/// The git commands the workspaces need, run in one repository (or one of its worktrees).
///
/// Commits are made as `vibe-ensemble`, so a repository without `user.name` works; nothing here
/// touches a working tree except the ones named (the server's own worktrees, and a person's
/// checkout only through `git merge --ff-only`, which refuses to overwrite local changes).
package struct Git: Sendable {
    /// The failure of a git command that had to succeed.
    package struct Failure: Error, CustomStringConvertible {
        package var command: String
        package var result: CommandResult
        package var description: String { "git \(command) failed: \(result.tail(8))" }
    }

    package let runner: CommandRunner

    package init(runner: CommandRunner) {
        self.runner = runner
    }

    /// The identity of the commits the server makes.
    static let identity = [
        "GIT_AUTHOR_NAME": "vibe-ensemble", "GIT_AUTHOR_EMAIL": "vibe-ensemble@localhost",
        "GIT_COMMITTER_NAME": "vibe-ensemble", "GIT_COMMITTER_EMAIL": "vibe-ensemble@localhost",
        "GIT_TERMINAL_PROMPT": "0",
    ]

    /// Runs `git arguments` in `directory`.
    package func run(_ arguments: [String], in directory: String) async -> CommandResult {
        await runner.run("git", arguments, in: directory, environment: Self.identity, timeout: .seconds(300))
    }

    /// Runs `git arguments` in `directory` and returns its trimmed output.
    /// - Throws: `Failure` when it does not succeed.
    @discardableResult
    package func output(_ arguments: [String], in directory: String) async throws -> String {
        let result = await run(arguments, in: directory)
        guard result.succeeded else { throw Failure(command: arguments.joined(separator: " "), result: result) }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// What `path` is, as git sees it.
    package func facts(of path: String) async -> RepositoryFacts {
        guard (try? await output(["rev-parse", "--is-inside-work-tree"], in: path)) == "true" else {
            return RepositoryFacts(path: path)
        }
        let hasCommit = await run(["rev-parse", "--verify", "-q", "HEAD^{commit}"], in: path).succeeded
        let branch = try? await output(["symbolic-ref", "--short", "-q", "HEAD"], in: path)
        let branches = (try? await output(["for-each-ref", "--format=%(refname:short)", "refs/heads"], in: path)) ?? ""
        let topLevel = try? await output(["rev-parse", "--show-toplevel"], in: path)
        return RepositoryFacts(
            path: path,
            isWorkTree: true,
            hasCommit: hasCommit,
            currentBranch: branch?.isEmpty == false ? branch : nil,
            branches: branches.split(separator: "\n").map(String.init),
            topLevel: topLevel.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
        )
    }

    /// The commit `ref` names, or `nil`.
    package func commit(of ref: String, in directory: String) async -> String? {
        try? await output(["rev-parse", "--verify", "-q", "\(ref)^{commit}"], in: directory)
    }

    /// Whether `ancestor` is an ancestor of (or equal to) `descendant`.
    package func isAncestor(_ ancestor: String, of descendant: String, in directory: String) async -> Bool {
        await run(["merge-base", "--is-ancestor", ancestor, descendant], in: directory).succeeded
    }

    /// Whether the working tree at `path` has uncommitted changes to tracked files (staged or not).
    package func hasTrackedChanges(at path: String) async throws -> Bool {
        !(try await output(["status", "--porcelain", "--untracked-files=no"], in: path)).isEmpty
    }

    /// Commits everything in the worktree at `path` (new files too, but none matching `excluded`,
    /// the copied untracked files) with `message`.
    /// - Returns: Whether there was anything to commit.
    package func commitAll(at path: String, message: String, excluding excluded: [String]) async throws -> Bool {
        try await stageAll(at: path, excluding: excluded)
        guard await !run(["diff", "--cached", "--quiet"], in: path).succeeded else { return false }
        try await output(["-c", "commit.gpgsign=false", "commit", "-q", "--no-verify", "-m", message], in: path)
        return true
    }

    /// Stages every change in the worktree at `path` except those to files matching `excluded`
    /// (added, then unstaged again: git refuses to be told to leave out a file it ignores).
    package func stageAll(at path: String, excluding excluded: [String]) async throws {
        try await output(["add", "-A", "--", "."], in: path)
        if !excluded.isEmpty {
            try await output(["reset", "-q", "--"] + excluded.map { ":(glob)\($0)" }, in: path)
        }
    }

    /// The worktrees of the repository at `path`, with the branch each has checked out.
    package func worktrees(of path: String) async throws -> [(path: String, branch: String?)] {
        let text = try await output(["worktree", "list", "--porcelain"], in: path)
        var found: [(path: String, branch: String?)] = []
        for block in text.components(separatedBy: "\n\n") {
            var worktree: String?
            var branch: String?
            for line in block.split(separator: "\n") {
                if line.hasPrefix("worktree ") { worktree = String(line.dropFirst("worktree ".count)) }
                if line.hasPrefix("branch refs/heads/") { branch = String(line.dropFirst("branch refs/heads/".count)) }
            }
            if let worktree { found.append((worktree, branch)) }
        }
        return found
    }
}
