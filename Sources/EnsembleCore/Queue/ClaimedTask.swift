package import Foundation

/// A task handed to a worker by `get_next_task`, with what it needs to start.
package struct ClaimedTask: Equatable, Sendable, Codable {
    package var taskId: TaskID
    package var attempt: Int
    package var ticketId: TicketID
    package var stage: Int
    package var workerType: WorkerTypeName
    package var title: String
    package var leaseExpiresAt: Date

    package init(
        taskId: TaskID,
        attempt: Int,
        ticketId: TicketID,
        stage: Int,
        workerType: WorkerTypeName,
        title: String,
        leaseExpiresAt: Date
    ) {
        self.taskId = taskId
        self.attempt = attempt
        self.ticketId = ticketId
        self.stage = stage
        self.workerType = workerType
        self.title = title
        self.leaseExpiresAt = leaseExpiresAt
    }
}
