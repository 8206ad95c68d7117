/// What becomes of a worker after its process ended, decided by the supervisor's lifecycle.
package enum WorkerExitResolution: Equatable, Sendable {
    /// Its queue is empty and the run ended well.
    case finished
    /// It failed and will not be re-spawned until someone spawns it again.
    case failed(reason: String)
    /// It was stopped on request.
    case stopped(reason: String)
    /// It still has work; it will be started again.
    case respawn(reason: String)
}
