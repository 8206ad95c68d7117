package import Foundation

/// One stage of one ticket waiting on, or taken from, a worker's queue.
package struct QueueTask: Equatable, Sendable, Codable {
    package var id: TaskID
    package var projectId: ProjectID
    package var workerType: WorkerTypeName
    /// The queue the task is routed to, `nil` while it waits on the backlog for a worker.
    package var queueName: QueueName?
    package var ticketId: TicketID
    package var stage: Int
    package var state: TaskState
    package var attempt: Int
    package var maxAttempts: Int
    package var claimedBy: WorkerID?
    package var leaseExpiresAt: Date?
    package var priority: TicketPriority
    /// How many of its attempts failed: a crash, a quit, a hang, an expired lease.
    ///
    /// A stop, a shutdown or a restart does not count. At `maxAttempts` the task is discarded.
    package var failures: Int
    /// The most recent failure, such as a lost claim.
    package var lastError: String?
    /// Why it waits on the backlog, as its last `ticket_waiting_for_worker` event said.
    package var waitingReason: String?
    /// Whether the coordinator chose its queue (`assign_task`): routing leaves it there while that
    /// worker runs.
    package var isPinned: Bool
    package var createdAt: Date
    package var updatedAt: Date

    package init(
        id: TaskID,
        projectId: ProjectID,
        workerType: WorkerTypeName,
        queueName: QueueName?,
        ticketId: TicketID,
        stage: Int,
        state: TaskState,
        attempt: Int,
        maxAttempts: Int,
        claimedBy: WorkerID?,
        leaseExpiresAt: Date?,
        priority: TicketPriority,
        failures: Int = 0,
        lastError: String?,
        waitingReason: String? = nil,
        isPinned: Bool = false,
        createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.projectId = projectId
        self.workerType = workerType
        self.queueName = queueName
        self.ticketId = ticketId
        self.stage = stage
        self.state = state
        self.attempt = attempt
        self.maxAttempts = maxAttempts
        self.claimedBy = claimedBy
        self.leaseExpiresAt = leaseExpiresAt
        self.priority = priority
        self.failures = failures
        self.lastError = lastError
        self.waitingReason = waitingReason
        self.isPinned = isPinned
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
