/// The naming scheme tying a worker to its type and queue: `worker_<type>_<n>` owns `queue_<type>_<n>`.
///
/// `n` runs from 1 to `maximumNumber` without leading zeros, so one number names one worker and
/// every name fits the identifier limit (`WorkerTypeName.maximumLength` leaves room for it).
package enum WorkerNaming {
    /// The largest worker number.
    package static let maximumNumber = 999_999
    /// The characters a worker id adds to its type name at most: `worker_`, `_` and six digits.
    package static let longestDecoration = workerPrefix.count + 1 + String(maximumNumber).count
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
        guard !digits.isEmpty, digits.first != "0", digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            let number = Int(digits), number <= maximumNumber
        else {
            return nil
        }
        return number
    }

    /// The id for a new worker of `type`: one past the highest number in use, or the lowest free
    /// number once the highest is taken; `nil` when every number is in use, or when the type's
    /// name (from before names were limited) leaves no room for a valid worker id.
    package static func nextWorkerID(type: WorkerTypeName, taken: some Sequence<WorkerID>) -> WorkerID? {
        guard WorkerID.isValid(workerID(type: type, number: maximumNumber).rawValue) else { return nil }
        let used = Set(taken.compactMap { number(of: $0, type: type) })
        let highest = used.max() ?? 0
        if highest < maximumNumber {
            return workerID(type: type, number: highest + 1)
        }
        return (1...maximumNumber).first { !used.contains($0) }.map { workerID(type: type, number: $0) }
    }

    /// Checks that `worker` is named `worker_<type>_<n>`.
    /// - Throws: `EnsembleError.invalidArgument` explaining the expected form.
    package static func validate(_ worker: WorkerID, type: WorkerTypeName) throws(EnsembleError) {
        guard number(of: worker, type: type) != nil else {
            throw .invalidArgument(
                "worker_id '\(worker)' must be named worker_\(type)_<n> for worker type '\(type)', with n from 1 "
                    + "to \(maximumNumber) and no leading zeros, e.g. worker_\(type)_1."
            )
        }
    }

    /// Whether `queue` is named like a worker's queue.
    package static func isQueueName(_ queue: QueueName) -> Bool {
        queue.rawValue.hasPrefix(queuePrefix) && queue.rawValue.count > queuePrefix.count
    }
}
