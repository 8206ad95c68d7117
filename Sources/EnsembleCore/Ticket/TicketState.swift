/// Where a ticket is in its life.
package enum TicketState: String, CaseIterable, Equatable, Sendable, Codable {
    /// Filed and waiting for its current stage's worker.
    case open
    /// A worker is working on its current stage.
    case inProgress = "in_progress"
    /// Waits for tickets it depends on to complete: no task, no worker, until the last one does.
    case blocked
    /// Held for the coordinator: a worker asked for attention or its task was discarded.
    case onHold = "on_hold"
    /// Every stage is done; its branch waits in the project's merge queue to land on the base branch.
    case merging
    /// Finished, see the resolution.
    case closed
}
