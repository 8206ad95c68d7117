/// The naming scheme tying a worker to its type and queue: `worker_<type>_<n>` owns `queue_<type>_<n>`.
package enum WorkerNaming {
    private static let workerPrefix = "worker_"
    private static let queuePrefix = "queue_"

    /// The id of the `number`th worker of `type`.
    package static func workerID(type: WorkerTypeName, number: Int) -> WorkerID {
        WorkerID(uncheckedRawValue: "\(workerPrefix)\(type.rawValue)_\(number)")
    }

    /// The queue owned by `worker`.
    package static func queueName(for worker: WorkerID) -> QueueName {
        QueueName(uncheckedRawValue: queuePrefix + worker.rawValue.dropFirst(workerPrefix.count))
    }

    /// The worker owning `queue`.
    package static func workerID(for queue: QueueName) -> WorkerID {
        WorkerID(uncheckedRawValue: workerPrefix + queue.rawValue.dropFirst(queuePrefix.count))
    }

    /// The `n` of `worker_<type>_<n>`, or `nil` when `worker` is not named after `type`.
    package static func number(of worker: WorkerID, type: WorkerTypeName) -> Int? {
        let prefix = "\(workerPrefix)\(type.rawValue)_"
        guard worker.rawValue.hasPrefix(prefix) else { return nil }
        let digits = worker.rawValue.dropFirst(prefix.count)
        guard !digits.isEmpty, digits.count <= 6, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else {
            return nil
        }
        return Int(digits)
    }

    /// Checks that `worker` is named `worker_<type>_<n>`.
    /// - Throws: `EnsembleError.invalidArgument` explaining the expected form.
    package static func validate(_ worker: WorkerID, type: WorkerTypeName) throws(EnsembleError) {
        guard number(of: worker, type: type) != nil else {
            throw .invalidArgument(
                "worker_id '\(worker)' must be named worker_\(type)_<n> for worker type '\(type)', "
                    + "e.g. worker_\(type)_1."
            )
        }
    }

    /// Whether `queue` is named like a worker's queue.
    package static func isQueueName(_ queue: QueueName) -> Bool {
        queue.rawValue.hasPrefix(queuePrefix) && queue.rawValue.count > queuePrefix.count
    }
}
