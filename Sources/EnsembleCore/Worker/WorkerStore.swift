package import Foundation

/// Persistence of workers and their lifecycle, used by the supervisor and the worker tools.
///
/// Every change records its event in the same transaction. Implementations report domain
/// failures as `EnsembleError` and change nothing when they throw.
package protocol WorkerStore: Sendable {
    /// Records a worker to be started (new, or an existing one that is not running) and moves the
    /// backlog of its project and type onto its queue.
    func requestWorker(_ id: WorkerID, project: ProjectID, type: WorkerTypeName) async throws -> Worker
    /// One worker with its queue counts.
    func workerReport(_ id: WorkerID) async throws -> WorkerReport
    /// Workers with their queue counts, optionally of one project.
    func listWorkers(in project: ProjectID?) async throws -> [WorkerReport]
    /// Workers marked to start that have no process yet, with what launching them needs.
    func pendingLaunches() async throws -> [WorkerLaunchPlan]
    /// Workers recorded with a running status, for reconciliation at start-up.
    func workersRecordedRunning() async throws -> [Worker]
    /// Records that a worker's process started.
    func recordLaunch(_ id: WorkerID, _ launch: ProcessLaunch) async throws
    /// Records that a worker's process could not be started.
    func recordLaunchFailure(_ id: WorkerID, reason: String) async throws
    /// Records stream activity (for `last_activity`).
    func recordActivity(_ id: WorkerID, at date: Date) async throws
    /// Records that a worker's process ended: its claims go back to the queue (or are discarded
    /// after too many attempts), usage is added, and its status follows `resolution`.
    func recordExit(_ id: WorkerID, exit: WorkerExit, resolution: WorkerExitResolution) async throws
    /// How many tasks of the worker's queue are queued or claimed.
    func pendingTaskCount(of id: WorkerID) async throws -> Int
}
