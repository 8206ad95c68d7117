/// Persistence of workers and their lifecycle, used by the supervisor and the worker tools.
///
/// Every change records its event in the same transaction. Implementations report domain
/// failures as `EnsembleError` and change nothing when they throw.
package protocol WorkerStore: Sendable {
    /// Records a worker to be started (new, or an existing one that is not running, forgiving its
    /// earlier failures) and routes the waiting tasks of its project and type.
    func requestWorker(_ id: WorkerID, project: ProjectID, type: WorkerTypeName) async throws -> Worker
    /// One worker with its queue counts.
    func workerReport(_ id: WorkerID) async throws -> WorkerReport
    /// Workers with their queue counts, optionally of one project.
    func listWorkers(in project: ProjectID?) async throws -> [WorkerReport]
    /// Workers marked to start that have no process yet, with what launching them needs.
    func pendingLaunches() async throws -> [WorkerLaunchPlan]
    /// A count that grows whenever a transaction that marked a worker to start commits, so a
    /// caller tells at no cost that nothing was marked since it last read `pendingLaunches()`.
    var spawnMarks: Int { get }
    /// Workers recorded with a running status, for reconciliation at start-up.
    func workersRecordedRunning() async throws -> [Worker]
    /// Claims the next task of the worker's queue for its next run, a session of its own: the run
    /// gets that claim from `get_next_task` and nothing after it.
    /// - Returns: The claim, or `nil` when the queue has nothing to start.
    func claimTaskForRun(_ id: WorkerID) async throws -> ClaimedTask?
    /// Records, before a worker's process is spawned, the run id its processes will carry in
    /// `VIBE_ENSEMBLE_RUN_ID`, and the run itself in `runs` (with the task it was started for):
    /// a server that dies between spawning and `recordLaunch` leaves a row by which the next
    /// start finds and ends the orphan.
    func recordLaunchIntent(_ id: WorkerID, runID: String, task: ClaimedTask?) async throws
    /// Records that a worker's process started.
    /// - Returns: `false` when the worker no longer waits to start (it was stopped meanwhile):
    ///   nothing is recorded, and the caller ends the process.
    func recordLaunch(_ id: WorkerID, _ launch: ProcessLaunch) async throws -> Bool
    /// Records stream activity: `last_activity`, and the leases of its claims renewed for `leaseSeconds`.
    func recordActivity(_ id: WorkerID, leaseSeconds: Int) async throws
    /// Records that a worker's process ended (or never started), in one transaction: its claims go
    /// back (an attempt is used only when `cause` is a failure of the work), usage is added, the
    /// `lifecycle` decides with the worker's stored failures and its queue as it is now, its status
    /// and event follow, and whatever the exit freed is routed.
    /// - Returns: The decision (`.respawn`: the caller starts the worker again after its delay), or
    ///   `nil` when `cause` does not apply to the worker's status (its exit was recorded already).
    func recordExit(_ id: WorkerID, exit: WorkerExit, cause: ExitCause, lifecycle: WorkerLifecycle) async throws
        -> WorkerLifecycle.Decision?
}
