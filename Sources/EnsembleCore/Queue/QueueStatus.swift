/// A worker's queue: its owner, counts by state, and the tasks still pending.
package struct QueueStatus: Equatable, Sendable, Codable {
    package var queueName: QueueName
    package var workerId: WorkerID
    package var workerStatus: WorkerStatus
    package var counts: QueueCounts
    /// Queued and claimed tasks, in the order they will be handed out.
    package var tasks: [QueueTask]

    package init(
        queueName: QueueName,
        workerId: WorkerID,
        workerStatus: WorkerStatus,
        counts: QueueCounts,
        tasks: [QueueTask]
    ) {
        self.queueName = queueName
        self.workerId = workerId
        self.workerStatus = workerStatus
        self.counts = counts
        self.tasks = tasks
    }
}
