/// A worker with the state of its queue, as `list_workers` and `get_worker_status` show it.
package struct WorkerReport: Equatable, Sendable, Codable {
    package var worker: Worker
    package var queue: QueueCounts

    package init(worker: Worker, queue: QueueCounts) {
        self.worker = worker
        self.queue = queue
    }
}
