/// Reading and acknowledging events.
///
/// Events are written by the other stores, in the transaction of the change they report.
package protocol EventStore: Sendable {
    /// Events matching `query`, oldest first.
    func events(matching query: EventQuery) async throws -> [Event]
    /// The newest event's id, `nil` before the first event.
    func latestEventID() async throws -> EventID?
    /// Marks events processed; idempotent, and unknown ids are reported rather than rejected.
    func markEventsProcessed(_ ids: [EventID]) async throws -> ProcessedMarking
}
