/// Why a task waits on the backlog instead of a worker's queue, and what would free it.
///
/// The description is the reason of the `ticket_waiting_for_worker` event; a task waiting for
/// the same reason again records no second event.
package enum WaitReason: Equatable, Sendable, CustomStringConvertible {
    /// No worker of the type runs and routing may not start one.
    case autoSpawnOff(WorkerTypeName)
    /// The type's worker kept failing; routing leaves it to the coordinator.
    case crashLooped(WorkerTypeName, worker: WorkerID)
    /// The server runs as many workers as `--max-workers` allows.
    case globalCap(limit: Int)
    /// The stage's worker type no longer exists in the project.
    case workerTypeMissing(WorkerTypeName, project: ProjectID)
    /// No worker id can be made for the type: every number is taken, or its name is too long.
    case noFreeWorkerID(WorkerTypeName)

    /// Whether this is a wait for a free worker id, the one reason a pass can change.
    package var isNoFreeWorkerID: Bool {
        if case .noFreeWorkerID = self { true } else { false }
    }

    package var description: String {
        switch self {
        case .autoSpawnOff(let type):
            "no \(type) worker is running and auto-spawn is off: it starts once you spawn one with spawn_worker"
        case .crashLooped(let type, let worker):
            "the \(type) worker \(worker) kept failing: check list_workers and its log, then revive it with "
                + "spawn_worker; the task waits until then"
        case .globalCap(let limit):
            "the server already runs \(limit == 1 ? "1 worker" : "\(limit) workers"), its --max-workers limit: it "
                + "starts as soon as \(limit == 1 ? "it exits" : "one of them exits")"
        case .workerTypeMissing(let type, let project):
            "worker type \(type) no longer exists in project \(project): create it again, or move the ticket with "
                + "update_ticket_stage"
        case .noFreeWorkerID(let type):
            "no worker id can be made for type \(type) (every number is in use, or its name is longer than "
                + "\(WorkerTypeName.maximumLength) characters): delete unused queues with delete_queue, or give the "
                + "work to a type with a shorter name"
        }
    }
}
