/// Decides what happens to a worker after each run of its process, without doing any of it.
///
/// A run that completed no stage while work was left (or that ended badly) is a *quick failure*.
/// After `maximumQuickFailures` in a row the worker stays `failed` and blocks automatic spawning
/// of its type until the coordinator revives it, instead of crash-looping; otherwise a worker
/// with work left is re-spawned, at once after progress and after an exponential backoff
/// (capped) otherwise. A worker without work finishes, or fails if its run ended badly. A
/// requested stop always wins.
///
/// ```swift
/// var lifecycle = WorkerLifecycle()
/// let decision = lifecycle.processExited(exit, hasPendingTasks: true, isStopRequested: false)
/// ```
package struct WorkerLifecycle: Equatable, Sendable {
    /// What to do once a run has ended.
    package enum Decision: Equatable, Sendable {
        case resolve(WorkerExitResolution)
        /// Start the process again after `delay`.
        case respawn(after: Duration, reason: String)
    }

    package var maximumQuickFailures: Int
    package var backoffBase: Duration
    package var backoffCap: Duration
    /// Consecutive runs that ended badly without completing a stage.
    package private(set) var quickFailures = 0

    package init(
        maximumQuickFailures: Int = 3,
        backoffBase: Duration = .seconds(1),
        backoffCap: Duration = .seconds(30)
    ) {
        self.maximumQuickFailures = maximumQuickFailures
        self.backoffBase = backoffBase
        self.backoffCap = backoffCap
    }

    /// Records a run's end and decides what follows.
    package mutating func processExited(_ exit: WorkerExit, hasPendingTasks: Bool, isStopRequested: Bool) -> Decision {
        if isStopRequested {
            return .resolve(.stopped(reason: "stopped on request; its process \(exit.phrase)"))
        }
        if exit.madeProgress {
            quickFailures = 0
        } else if hasPendingTasks || !exit.isClean {
            quickFailures += 1
        }
        guard hasPendingTasks else {
            return exit.isClean
                ? .resolve(.finished) : .resolve(.failed(reason: "its process \(exit.phrase)", blocksAutoSpawn: false))
        }
        if quickFailures >= maximumQuickFailures {
            return .resolve(
                .failed(
                    reason: "its process \(exit.phrase), \(quickFailures) runs in a row without completing a stage",
                    blocksAutoSpawn: true
                )
            )
        }
        let delay = quickFailures == 0 ? .zero : min(backoffCap, backoffBase * (1 << (quickFailures - 1)))
        return .respawn(after: delay, reason: "its process \(exit.phrase) with tasks left in its queue")
    }

    /// Forgets earlier failures, as when the coordinator spawns the worker again by hand.
    package mutating func reset() {
        quickFailures = 0
    }
}
