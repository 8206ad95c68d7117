/// A ticket with the tickets it waits for and the tickets waiting for it.
package struct TicketDependencies: Equatable, Sendable, Codable {
    package var ticket: Ticket
    package var dependsOn: [DependencyStatus]
    package var dependents: [DependencyStatus]

    package init(ticket: Ticket, dependsOn: [DependencyStatus], dependents: [DependencyStatus]) {
        self.ticket = ticket
        self.dependsOn = dependsOn
        self.dependents = dependents
    }
}
