package import Foundation

/// A record of something the coordinator should learn about, kept until it is marked processed.
package struct Event: Equatable, Sendable, Codable {
    package var id: EventID
    package var eventType: EventType
    package var projectId: ProjectID?
    package var ticketId: TicketID?
    package var workerId: WorkerID?
    package var stage: Int?
    package var reason: String?
    package var payload: [String: String]
    package var createdAt: Date
    package var processed: Bool

    package init(
        id: EventID,
        eventType: EventType,
        projectId: ProjectID? = nil,
        ticketId: TicketID? = nil,
        workerId: WorkerID? = nil,
        stage: Int? = nil,
        reason: String? = nil,
        payload: [String: String] = [:],
        createdAt: Date,
        processed: Bool = false
    ) {
        self.id = id
        self.eventType = eventType
        self.projectId = projectId
        self.ticketId = ticketId
        self.workerId = workerId
        self.stage = stage
        self.reason = reason
        self.payload = payload
        self.createdAt = createdAt
        self.processed = processed
    }
}
