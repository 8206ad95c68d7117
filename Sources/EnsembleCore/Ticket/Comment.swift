package import Foundation

/// A report or note on a ticket, written by a worker for its stage or by the coordinator.
package struct Comment: Equatable, Sendable, Codable {
    package var id: Int64
    package var ticketId: TicketID
    package var workerType: WorkerTypeName
    package var workerId: WorkerID
    package var stageNumber: Int
    package var content: String
    package var createdAt: Date
    /// The full length of `content` when only an excerpt is shown; `nil` when it is complete.
    package var truncatedFrom: Int?

    package init(
        id: Int64,
        ticketId: TicketID,
        workerType: WorkerTypeName,
        workerId: WorkerID,
        stageNumber: Int,
        content: String,
        createdAt: Date
    ) {
        self.id = id
        self.ticketId = ticketId
        self.workerType = workerType
        self.workerId = workerId
        self.stageNumber = stageNumber
        self.content = content
        self.createdAt = createdAt
    }
}
