/// One ticket waiting for another: `ticketId` runs only once `dependsOn` closed as completed.
package struct TicketDependency: Hashable, Sendable, Codable {
    package var ticketId: TicketID
    package var dependsOn: TicketID

    package init(_ ticketId: TicketID, dependsOn: TicketID) {
        self.ticketId = ticketId
        self.dependsOn = dependsOn
    }
}

/// A dependency as a ticket's readers see it: the ticket depended on, with where it is now.
package struct DependencyStatus: Equatable, Sendable, Codable {
    package var ticketId: TicketID
    package var title: String
    package var state: TicketState
    package var resolution: TicketResolution?

    package init(_ ticket: Ticket) {
        ticketId = ticket.ticketId
        title = ticket.title
        state = ticket.state
        resolution = ticket.resolution
    }

    /// Whether it closed as completed, the one end that lets its dependents run.
    package var isCompleted: Bool { state == .closed && resolution == .completed }

    /// `SHOP-1 (in_progress)`: the ticket and its state, as lists of what a ticket waits for show it.
    package var summary: String { "\(ticketId) (\(state.rawValue))" }

    /// Whether it closed any other way (stopped): its dependents can never run after it.
    package var isStopped: Bool { state == .closed && resolution != .completed }
}
