/// Why a worker's process ended, as the supervisor saw it.
package enum ExitCause: Equatable, Sendable {
    /// It ended on its own: finished, quit or crashed.
    case ended
    /// The watchdog stopped it after it printed nothing for its stage timeout.
    case hung
    /// It was stopped on request (`stop_worker`).
    case stopRequested(reason: String)
    /// The server shut down gracefully and stopped it.
    case serverShutdown
    /// Start-up reconciliation found it left by an earlier server process.
    case serverRestarted
    /// It was recorded as running, but no process of this server runs it (its exit was lost).
    case processLost

    /// Whether the exit applies to a worker in `status`: a lost process is one recorded as
    /// started, never a worker still waiting to start; nothing applies to a worker not running.
    package func applies(to status: WorkerStatus) -> Bool {
        status.isRunning && (self != .processLost || status != .spawning)
    }

    /// How the claims it held are given back: failures of the work use up an attempt; a stop,
    /// a shutdown or a restart does not.
    package func releaseCause(of worker: WorkerID, exit: WorkerExit) -> ReleaseCause {
        let what = "worker \(worker) \(exit.phrase) before completing the stage"
        return switch self {
        case .ended: .workFailed(what)
        case .processLost: .workFailed("worker \(worker)'s process is gone (found by the maintenance pass)")
        case .hung: .workFailed("\(what) (the watchdog stopped it: no output for its stage timeout)")
        case .stopRequested(let reason): .interrupted("\(what) (\(reason))")
        case .serverShutdown: .interrupted("\(what) (the server shut down)")
        case .serverRestarted: .interrupted("\(what) (the server restarted)")
        }
    }
}
