/// Every queue, plus the tasks waiting on a backlog because no worker of their type could take them.
package struct QueueOverview: Equatable, Sendable, Codable {
    package var queues: [QueueStatus]
    package var backlog: [QueueTask]

    package init(queues: [QueueStatus], backlog: [QueueTask]) {
        self.queues = queues
        self.backlog = backlog
    }
}
