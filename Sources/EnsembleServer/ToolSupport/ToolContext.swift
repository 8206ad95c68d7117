package import EnsembleCore

/// What tool handlers work with: the operations, persistence for reads, the event bell, and the caller.
package struct ToolContext: Sendable {
    package var repository: any Repository
    package var workers: any WorkerControl
    /// The git side of projects' workspaces.
    package var workspaces: any Workspaces
    package var events: EventBell
    package var caller: ToolCaller
    /// The claims of this context's session (each session gets its own).
    package var claims: ClaimLedger

    package init(
        repository: any Repository,
        workers: any WorkerControl,
        workspaces: any Workspaces = NoWorkspaces(),
        events: EventBell,
        caller: ToolCaller = .coordinator,
        claims: ClaimLedger = ClaimLedger()
    ) {
        self.repository = repository
        self.workers = workers
        self.workspaces = workspaces
        self.events = events
        self.caller = caller
        self.claims = claims
    }

    /// The actions that change state, each followed by starting the workers it marked.
    package var ensemble: Ensemble { Ensemble(repository: repository, workers: workers, workspaces: workspaces) }

    /// The same context for another caller, in a session of its own.
    package func calledBy(_ caller: ToolCaller) -> ToolContext {
        var context = self
        context.caller = caller
        context.claims = ClaimLedger()
        return context
    }

    /// Checks that a worker caller may see `ticket`: it must have had a task of it in its queue.
    /// - Throws: `EnsembleError.ticketNotInYourQueue`.
    func checkAccess(to ticket: TicketID) async throws {
        guard case .worker(let identity) = caller else { return }
        guard try await repository.queue(identity.queueName, hasTaskOf: ticket) else {
            throw EnsembleError.ticketNotInYourQueue(ticket, identity.queueName)
        }
    }
}
