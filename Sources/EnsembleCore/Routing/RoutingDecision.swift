/// Where routing sends one task.
package enum RoutingDecision: Equatable, Sendable {
    /// Onto the queue of a worker that runs or is starting.
    case assign(QueueName)
    /// Onto the queue of `worker`, which is to be started: an existing row marked `spawning`,
    /// or, when `isNew`, a new row.
    case spawn(WorkerID, isNew: Bool)
    /// Onto the backlog, until capacity frees.
    case wait(WaitReason)
}
