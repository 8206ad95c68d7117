/// Decides what becomes of a worker after each run of its process, without doing any of it.
///
/// A run that completed no stage (progress is a completion the store accepted) while work was
/// left, or that ended badly, is a *quick failure*. After `maximumQuickFailures` in a row the
/// worker stays `failed` and blocks automatic spawning of its type until the coordinator revives
/// it, instead of crash-looping; otherwise a worker with work left is re-spawned, at once after
/// progress and after an exponential backoff (capped) otherwise. A worker without work finishes,
/// or fails if its run ended badly. A requested stop always wins; a shutdown or a restart leaves
/// a worker with work to start again with the server and counts no failure.
///
/// The count of quick failures lives with the worker in the store, so the store decides in the
/// transaction that records the exit, where it also knows how much work is left.
///
/// ```swift
/// let decision = WorkerLifecycle().decide(exit, cause: .ended, hasPendingTasks: true, quickFailures: 0)
/// ```
package struct WorkerLifecycle: Equatable, Sendable {
    /// What follows a run.
    package struct Decision: Equatable, Sendable {
        package var resolution: WorkerExitResolution
        /// The worker's quick failures after this run.
        package var quickFailures: Int
        /// How long to wait before starting a re-spawned worker again.
        package var respawnDelay: Duration

        package init(resolution: WorkerExitResolution, quickFailures: Int, respawnDelay: Duration = .zero) {
            self.resolution = resolution
            self.quickFailures = quickFailures
            self.respawnDelay = respawnDelay
        }
    }

    package var maximumQuickFailures: Int
    package var backoffBase: Duration
    package var backoffCap: Duration

    package init(
        maximumQuickFailures: Int = 3,
        backoffBase: Duration = .seconds(1),
        backoffCap: Duration = .seconds(30)
    ) {
        self.maximumQuickFailures = maximumQuickFailures
        self.backoffBase = backoffBase
        self.backoffCap = backoffCap
    }

    /// Decides what follows a run that ended as `exit` for `cause`.
    /// - Parameters:
    ///   - exit: How the process ended; `madeProgress` says whether the store accepted a completion.
    ///   - cause: Why it ended, as the supervisor saw it.
    ///   - hasPendingTasks: Whether the worker's queue still holds tasks (after its claims were given back).
    ///   - quickFailures: The worker's quick failures before this run ended.
    /// - Returns: The resolution, the new failure count and any backoff.
    package func decide(_ exit: WorkerExit, cause: ExitCause, hasPendingTasks: Bool, quickFailures: Int) -> Decision {
        if case .launchFailed(let reason) = exit.termination {
            return Decision(
                resolution: .failed(reason: "its process could not be started: \(reason)", blocksAutoSpawn: true),
                quickFailures: quickFailures + 1
            )
        }
        switch cause {
        case .stopRequested(let reason):
            return Decision(
                resolution: .stopped(reason: "\(reason); its process \(exit.phrase)"),
                quickFailures: quickFailures
            )
        case .serverShutdown, .serverRestarted:
            let reason =
                cause == .serverShutdown
                ? "the server shut down; it restarts with the server" : "the server restarted while it ran"
            // The count stands: a restart must not let a crash-looping worker start afresh.
            return Decision(
                resolution: hasPendingTasks ? .respawn(reason: reason) : .finished,
                quickFailures: quickFailures
            )
        case .ended, .hung, .processLost:
            return decideAfterRun(exit, hung: cause == .hung, hasPendingTasks: hasPendingTasks, quickFailures)
        }
    }

    // MARK: - Private helpers

    private func decideAfterRun(_ exit: WorkerExit, hung: Bool, hasPendingTasks: Bool, _ before: Int) -> Decision {
        let isClean = exit.isClean && !hung
        let failures = exit.madeProgress ? 0 : (hasPendingTasks || !isClean ? before + 1 : before)
        let phrase = hung ? "\(exit.phrase) (stopped by the watchdog)" : exit.phrase
        guard hasPendingTasks else {
            return Decision(
                resolution: isClean ? .finished : .failed(reason: "its process \(phrase)", blocksAutoSpawn: false),
                quickFailures: failures
            )
        }
        if failures >= maximumQuickFailures {
            return Decision(
                resolution: .failed(
                    reason: "its process \(phrase), \(failures) runs in a row without completing a stage",
                    blocksAutoSpawn: true
                ),
                quickFailures: failures
            )
        }
        let delay = failures == 0 ? .zero : min(backoffCap, backoffBase * (1 << (failures - 1)))
        return Decision(
            resolution: .respawn(reason: "its process \(phrase) with tasks left in its queue"),
            quickFailures: failures,
            respawnDelay: delay
        )
    }
}
