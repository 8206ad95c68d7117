/// A worker's report that it finished its stage of a ticket.
package struct StageCompletion: Equatable, Sendable {
    package var ticketId: TicketID
    package var taskId: TaskID
    /// The attempt the worker claimed; when given, a completion for an older attempt is refused.
    package var attempt: Int?
    package var report: String
    package var outcome: StageOutcome
    package var reason: String?
    /// The tickets the worker declares with this completion, created in its transaction.
    package var newTickets: TicketBatch
    /// The ticket branch's tip once the stage's work was committed (worktree isolation only).
    package var resultCommit: String?

    /// Creates the completion after checking the report.
    /// - Throws: `EnsembleError.invalidArgument` for an empty report.
    package init(
        ticketId: TicketID,
        taskId: TaskID,
        attempt: Int? = nil,
        report: String,
        outcome: StageOutcome = .nextStage,
        reason: String? = nil,
        newTickets: TicketBatch = .empty
    ) throws(EnsembleError) {
        guard !report.allSatisfy(\.isWhitespace) else {
            throw .invalidArgument("report must not be empty: describe what you did for the next stage.")
        }
        self.ticketId = ticketId
        self.taskId = taskId
        self.attempt = attempt
        self.report = report
        self.outcome = outcome
        self.reason = reason
        self.newTickets = newTickets
    }
}
