/// Control over worker processes, implemented by the supervisor.
///
/// The store decides *which* workers should run (routing marks them `spawning`); the control
/// starts and stops their processes. Tools call `launchPending()` after any change that may
/// have marked workers to start.
package protocol WorkerControl: Sendable {
    /// Starts every worker marked to start; returns once each has started or failed to.
    func launchPending() async
    /// Stops a worker's process with the stop ladder and returns once it has exited.
    func stop(_ id: WorkerID) async throws
    /// Whether a process of ours is running (or being started) for the worker.
    func isRunning(_ id: WorkerID) async -> Bool
}
