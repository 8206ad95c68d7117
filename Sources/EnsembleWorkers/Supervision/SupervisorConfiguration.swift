package import EnsembleCore

/// How the supervisor runs workers.
package struct SupervisorConfiguration: Sendable {
    /// Builds each worker's `claude` command line.
    package var commandBuilder: WorkerCommandBuilder
    /// Where worker logs go (`<data dir>/logs`).
    package var logDirectory: String
    /// Where each run's private files go (`<data dir>/runs`); see `WorkerRunFiles`.
    package var runsDirectory: String
    /// Time between SIGTERM and SIGKILL when stopping a worker.
    package var stopGrace: Duration
    /// How often expired claims are rescued and pending workers started.
    package var rescueInterval: Duration
    /// The least time between two `last_activity` writes of one worker.
    package var activityInterval: Duration
    /// The restart policy every worker starts with.
    package var lifecycle: WorkerLifecycle
    /// How long a worker may print nothing before the watchdog stops it: its type's stage timeout.
    package var inactivityTimeout: @Sendable (WorkerTypeSettings) -> Duration
    /// Tickets' worktrees, for projects with isolation `worktree`; `nil` runs every worker in its
    /// project's directory.
    package var workspaces: GitWorkspaces?

    package init(
        commandBuilder: WorkerCommandBuilder,
        logDirectory: String,
        runsDirectory: String,
        stopGrace: Duration = .seconds(5),
        rescueInterval: Duration = .seconds(5),
        activityInterval: Duration = .seconds(5),
        lifecycle: WorkerLifecycle = WorkerLifecycle(),
        inactivityTimeout: @escaping @Sendable (WorkerTypeSettings) -> Duration = { .seconds($0.stageTimeoutSeconds) },
        workspaces: GitWorkspaces? = nil
    ) {
        self.commandBuilder = commandBuilder
        self.logDirectory = logDirectory
        self.runsDirectory = runsDirectory
        self.stopGrace = stopGrace
        self.rescueInterval = rescueInterval
        self.activityInterval = activityInterval
        self.lifecycle = lifecycle
        self.inactivityTimeout = inactivityTimeout
        self.workspaces = workspaces
    }
}
