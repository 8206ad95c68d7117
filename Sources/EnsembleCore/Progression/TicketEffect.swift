/// One change a ticket rule asks of the store, applied in order in the transaction of the change
/// that caused it.
package enum TicketEffect: Equatable, Sendable {
    /// Discard the ticket's queued and claimed tasks; a worker holding one finds its claim gone.
    case discardLiveTasks(reason: String)
    /// Put the ticket at `stage` (state `open`), with its last completed stage and rework count.
    case move(toStage: Int, lastCompletedStage: Int?, reworkRounds: Int)
    /// Queue a task for `stage`; the dispatch rule then routes it.
    case enqueue(stage: Int)
    /// Close the ticket.
    case close(TicketResolution, reason: String?, lastCompletedStage: Int?)
    /// Hold the ticket for the coordinator (state `on_hold`); an event says why.
    case hold
    /// Let the ticket wait for its dependencies (state `blocked`); an event says for which.
    case block
    /// Every stage is done: the ticket waits in its project's merge queue (state `merging`).
    case awaitMerge(lastCompletedStage: Int)
    /// Record an event about the ticket.
    case record(TicketEvent)
}

/// An event a ticket rule records.
package struct TicketEvent: Equatable, Sendable {
    package var type: EventType
    package var stage: Int?
    package var reason: String?
    package var payload: [String: String]

    package init(_ type: EventType, stage: Int?, reason: String? = nil, payload: [String: String] = [:]) {
        self.type = type
        self.stage = stage
        self.reason = reason
        self.payload = payload
    }
}
