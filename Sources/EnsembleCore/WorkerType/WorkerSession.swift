/// How a worker type's workers spend Claude Code sessions.
package enum WorkerSession: String, CaseIterable, Equatable, Sendable, Codable {
    /// A fresh `claude -p` process for each task, claimed for it before it starts: nothing of
    /// one ticket reaches the next one's context, and each run's cost belongs to one stage.
    case perTask = "per_task"
    /// One `claude -p` conversation that works through the whole queue (the original loop);
    /// only for projects without worktree isolation, since a process has one working directory.
    case perQueue = "per_queue"
}
