/// The validated input for adding a comment to a ticket.
package struct NewComment: Equatable, Sendable {
    package var ticketId: TicketID
    package var workerType: WorkerTypeName
    package var workerId: WorkerID
    package var stageNumber: Int
    package var content: String

    /// Creates the input after checking the content.
    /// - Throws: `EnsembleError.invalidArgument` for empty content or a negative stage.
    package init(
        ticketId: TicketID,
        workerType: WorkerTypeName,
        workerId: WorkerID,
        stageNumber: Int,
        content: String
    ) throws(EnsembleError) {
        guard !content.allSatisfy(\.isWhitespace) else {
            throw .invalidArgument("content must not be empty: write the report or note.")
        }
        guard stageNumber >= 0 else {
            throw .invalidArgument("stage_number must be 0 or more: stages are numbered from 0.")
        }
        self.ticketId = ticketId
        self.workerType = workerType
        self.workerId = workerId
        self.stageNumber = stageNumber
        self.content = content
    }
}
