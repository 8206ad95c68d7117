/// What becomes of a worker after its process ended, decided by the supervisor's lifecycle.
package enum WorkerExitResolution: Equatable, Sendable {
    /// Its queue is empty and the run ended well.
    case finished
    /// It failed. When `blocksAutoSpawn`, routing starts no worker of its type automatically
    /// until the coordinator revives it with `spawn_worker` (it was crash-looping).
    case failed(reason: String, blocksAutoSpawn: Bool)
    /// It was stopped on request.
    case stopped(reason: String)
    /// It still has work; it will be started again.
    case respawn(reason: String)
}
