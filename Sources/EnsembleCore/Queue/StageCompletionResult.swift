/// Where a ticket went after a stage was completed.
package struct StageCompletionResult: Equatable, Sendable, Codable {
    package var ticketId: TicketID
    package var outcome: StageOutcome
    package var completedStage: Int
    package var state: TicketState
    /// The stage the ticket moved to, `nil` when it closed or is on hold.
    package var nextStage: Int?
    /// The worker type of `nextStage`.
    package var nextWorkerType: WorkerTypeName?
    /// The tickets declared with the completion (`new_tickets`), in the order they were created.
    package var createdTickets: [CreatedTicket]

    package init(
        ticketId: TicketID,
        outcome: StageOutcome,
        completedStage: Int,
        state: TicketState,
        nextStage: Int?,
        nextWorkerType: WorkerTypeName?,
        createdTickets: [CreatedTicket] = []
    ) {
        self.ticketId = ticketId
        self.outcome = outcome
        self.completedStage = completedStage
        self.state = state
        self.nextStage = nextStage
        self.nextWorkerType = nextWorkerType
        self.createdTickets = createdTickets
    }
}
