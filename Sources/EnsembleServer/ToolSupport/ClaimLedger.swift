package import EnsembleCore
import Synchronization

/// The attempts of the claims one MCP session received, so a completion that leaves out
/// `attempt` is still fenced by the attempt this session claimed, not by whatever the task's
/// current attempt is.
///
/// A session lives within one worker run, so this does not rest on token lifetimes: a stale
/// process that still had a valid token could not complete a newer attempt claimed elsewhere.
package final class ClaimLedger: Sendable {
    private let attempts = Mutex<[TaskID: Int]>([:])

    package init() {}

    /// Notes that this session claimed `task` at `attempt`.
    package func record(_ task: TaskID, attempt: Int) {
        attempts.withLock { $0[task] = attempt }
    }

    /// The attempt this session claimed `task` at, or `nil` when it did not claim it.
    package func attempt(of task: TaskID) -> Int? {
        attempts.withLock { $0[task] }
    }
}
