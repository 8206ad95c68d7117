/// Persistence of tickets and their comments.
///
/// Every change records its event in the same transaction. Implementations report domain
/// failures as `EnsembleError` and change nothing when they throw.
package protocol TicketStore: Sendable {
    /// Files a ticket after checking that every stage of its plan is a worker type of the project.
    func createTicket(_ ticket: NewTicket) async throws -> Ticket
    /// One ticket with its comments in order and its task history, cut to `budget`; with
    /// `upToComment`, only the comments up to and including that one (to page back).
    ///
    /// With `queue`, only if that queue had a task of the ticket (a worker's view), checked in
    /// the same read. - Throws: `EnsembleError.ticketNotInYourQueue` otherwise.
    func ticketDetails(_ id: TicketID, upToComment: Int64?, within budget: DetailsBudget, visibleTo queue: QueueName?)
        async throws -> TicketDetails
    /// Tickets, oldest first, optionally of one project and in one state.
    func listTickets(in project: ProjectID?, state: TicketState?) async throws -> [Ticket]
    /// One page of `listTickets`: the tickets after `page.after`, at most `page.limit`.
    func ticketPage(in project: ProjectID?, state: TicketState?, page: PageRequest) async throws -> Page<Ticket>
    /// Moves a ticket to another stage of its plan (the coordinator's override).
    func updateStage(of ticket: TicketID, to stage: StageSelector) async throws -> Ticket
    /// Adds a comment to an open ticket.
    func addComment(_ comment: NewComment) async throws -> Comment
    /// Closes a ticket and discards its tasks that are still queued; the tickets waiting for it
    /// are unblocked (its last dependency completed) or held (it was stopped).
    func closeTicket(_ ticket: TicketID, resolution: TicketResolution, reason: String?) async throws -> Ticket
    /// The ticket with what it depends on and what depends on it.
    func dependencies(of ticket: TicketID) async throws -> TicketDependencies
    /// Makes `ticket` wait for `dependsOn` (`DependencyRules`): a ticket with a stage queued is blocked.
    func addDependency(_ ticket: TicketID, dependsOn: TicketID) async throws -> TicketDependencies
    /// Lets `ticket` stop waiting for `dependsOn`; removing the last open one unblocks and routes it.
    func removeDependency(_ ticket: TicketID, dependsOn: TicketID) async throws -> TicketDependencies
}

extension TicketStore {
    /// One ticket with its comments and task history, cut to `budget`, for anyone.
    package func ticketDetails(_ id: TicketID, upToComment: Int64?, within budget: DetailsBudget) async throws
        -> TicketDetails
    {
        try await ticketDetails(id, upToComment: upToComment, within: budget, visibleTo: nil)
    }

    /// One ticket with its newest history, as `get_ticket` shows it.
    package func ticketDetails(_ id: TicketID) async throws -> TicketDetails {
        try await ticketDetails(id, upToComment: nil, within: .toolOutput)
    }
}
