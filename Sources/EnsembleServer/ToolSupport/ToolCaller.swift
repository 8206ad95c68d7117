package import EnsembleCore

/// Who is calling a tool: the coordinator, or one worker scoped to its own queue.
package enum ToolCaller: Hashable, Sendable {
    case coordinator
    case worker(WorkerIdentity)

    /// The id written into claims and comments: the worker's id, or `coordinator`.
    package var workerID: WorkerID {
        switch self {
        case .coordinator: .coordinator
        case .worker(let identity): identity.workerId
        }
    }

    /// Checks that the caller may use `queue`: a worker only its own, the coordinator any.
    /// - Throws: `EnsembleError.notYourQueue`.
    package func checkAccess(to queue: QueueName) throws(EnsembleError) {
        if case .worker(let identity) = self, identity.queueName != queue {
            throw .notYourQueue(queue, yours: identity.queueName)
        }
    }
}
