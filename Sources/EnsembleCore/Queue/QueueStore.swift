/// The durable queues: claims with leases and fencing, stage completion and routing.
///
/// Implementations report domain failures as `EnsembleError` and change nothing when they throw.
package protocol QueueStore: Sendable {
    /// The queued and claimed tasks of a queue, in hand-out order (read only).
    func pendingTasks(in queue: QueueName) async throws -> [QueueTask]
    /// Atomically claims the next queued task (priority, then age) for `worker`, or returns `nil`.
    ///
    /// A worker holds one claim at a time: while it holds one, that claim is returned again.
    func claimNextTask(in queue: QueueName, by worker: WorkerID) async throws -> ClaimedTask?
    /// Reports a stage as done in one transaction: comment, task done, ticket moved, next stage
    /// routed, events. Refused unless `worker` holds the task's current claim.
    func completeStage(_ completion: StageCompletion, by worker: WorkerID) async throws -> StageCompletionResult
    /// Returns expired claims to their queues (or discards them after too many failures), except
    /// claims of workers whose process runs, then routes what needs it (the maintenance pass).
    /// - Returns: How many claims were rescued.
    func rescueExpiredClaims() async throws -> Int
    /// One queue with its tasks.
    func queueStatus(_ queue: QueueName) async throws -> QueueStatus
    /// Every queue and the backlog.
    func queueOverview() async throws -> QueueOverview
    /// Deletes the queue of a worker that is not running, re-routing its queued tasks.
    func deleteQueue(_ queue: QueueName) async throws -> Int
    /// Puts a ticket's current stage on a chosen queue.
    func assignTicket(_ ticket: TicketID, to queue: QueueName) async throws -> QueueTask
    /// Whether `queue` holds (or held) a task of `ticket`: a worker may only see those tickets.
    func queue(_ queue: QueueName, hasTaskOf ticket: TicketID) async throws -> Bool
}
