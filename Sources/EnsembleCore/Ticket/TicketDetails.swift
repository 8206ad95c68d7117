/// A ticket with everything written about it: comments in order and the history of its tasks.
package struct TicketDetails: Equatable, Sendable, Codable {
    package var ticket: Ticket
    package var comments: [Comment]
    package var tasks: [QueueTask]

    package init(ticket: Ticket, comments: [Comment], tasks: [QueueTask]) {
        self.ticket = ticket
        self.comments = comments
        self.tasks = tasks
    }
}
