/// Why a claim is given back before its stage was completed.
package enum ReleaseCause: Equatable, Sendable {
    /// The work failed: a crash, a quit, a hang, an expired lease. It uses up an attempt.
    case workFailed(String)
    /// The work was interrupted from outside: a stop by the coordinator, a graceful shutdown, a
    /// restart. It uses up no attempt, so restarting the server never discards a task.
    case interrupted(String)

    /// What happened, for the task's error history and the event.
    package var reason: String {
        switch self {
        case .workFailed(let reason), .interrupted(let reason): reason
        }
    }

    /// Whether it counts against the task's attempts.
    package var isFailure: Bool {
        if case .workFailed = self { true } else { false }
    }
}

/// The rule for a claim given back: to the queue again, or discarded once its failures reach
/// `maxAttempts` (the ticket is then held, and the event says so).
package struct ClaimRelease: Equatable, Sendable {
    /// The task's failures after this release.
    package var failures: Int
    /// Whether the task is discarded instead of queued again.
    package var isDiscarded: Bool
    /// The event recording the release.
    package var event: EventType
    package var reason: String

    /// Decides the release of `task`, a claimed task, for `cause`.
    package init(of task: QueueTask, cause: ReleaseCause) {
        failures = task.failures + (cause.isFailure ? 1 : 0)
        isDiscarded = failures >= task.maxAttempts
        event = isDiscarded ? .taskDiscarded : .taskRequeued
        reason =
            isDiscarded
            ? "\(cause.reason); discarded after \(failures) failed attempts, ticket put on hold" : cause.reason
    }
}
