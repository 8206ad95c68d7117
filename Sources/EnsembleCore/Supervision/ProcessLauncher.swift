/// Runs worker processes, implemented with swift-subprocess (and by fakes in tests).
package protocol ProcessLauncher: Sendable {
    /// Runs `command` in its own process group until it exits.
    ///
    /// Cancelling the calling task stops the process with the stop ladder (SIGTERM to the group,
    /// a grace period, SIGKILL to the group) and then throws `CancellationError`.
    /// - Parameters:
    ///   - command: What to run.
    ///   - onStart: Called once with the process id as soon as the process runs.
    ///   - onOutput: Called with every line the process prints, without its line break.
    /// - Returns: How the process ended; a process that cannot start is `.launchFailed`, not an error.
    /// - Throws: `CancellationError` when the calling task was cancelled and the process stopped.
    func run(
        _ command: WorkerCommand,
        onStart: @escaping @Sendable (Int32) async -> Void,
        onOutput: @escaping @Sendable (OutputLine) async -> Void
    ) async throws -> WorkerExit.Termination

    /// Sends `signal` to the process group led by `pid`, a process this launcher started.
    ///
    /// The supervisor runs the stop ladder with it while output is still being read, and sweeps
    /// the group with SIGKILL after every run so no descendant outlives its worker.
    func signalGroup(of pid: Int32, with signal: Int32)
}

/// A line a worker process printed.
package enum OutputLine: Equatable, Sendable {
    case standardOutput(String)
    case standardError(String)
}
