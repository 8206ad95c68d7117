/// A snapshot of the store proving it answers: schema version and a few counts for operators.
package struct StoreHealth: Equatable, Sendable, Codable {
    package var schemaVersion: String
    package var projects: Int
    package var openTickets: Int
    package var unprocessedEvents: Int

    package init(schemaVersion: String, projects: Int, openTickets: Int, unprocessedEvents: Int) {
        self.schemaVersion = schemaVersion
        self.projects = projects
        self.openTickets = openTickets
        self.unprocessedEvents = unprocessedEvents
    }
}
