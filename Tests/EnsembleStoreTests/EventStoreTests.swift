import EnsembleCore
import EnsembleStore
import EnsembleTestSupport
import Testing

struct EventStoreTests {
    @Test func marksEventsProcessedIdempotentlyAndReportsUnknownIDs() async throws {
        // Given two ticket_created events
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        _ = try await database.createTicket(Fixtures.ticket())
        _ = try await database.createTicket(Fixtures.ticket())
        let events = try await database.events(matching: EventQuery())
        #expect(events.count == 2)

        // When the first is marked twice, with an unknown id
        let first = try await database.markEventsProcessed([events[0].id, EventID(999)])
        let again = try await database.markEventsProcessed([events[0].id])

        // Then the marking reports each id's fate and only the second stays unprocessed
        #expect(first == ProcessedMarking(marked: [events[0].id], alreadyProcessed: [], unknown: [EventID(999)]))
        #expect(again == ProcessedMarking(marked: [], alreadyProcessed: [events[0].id], unknown: []))
        #expect(try await database.events(matching: EventQuery()).map(\.id) == [events[1].id])
        #expect(try await database.events(matching: EventQuery(processed: true)).map(\.id) == [events[0].id])
    }

    @Test func filtersBySinceIDTypeAndLimit() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        for _ in 0..<3 { _ = try await database.createTicket(Fixtures.ticket()) }
        let ticket = try await database.createTicket(Fixtures.ticket())
        _ = try await database.closeTicket(ticket.ticketId, resolution: .stopped, reason: "no longer needed")

        let all = try await database.events(matching: EventQuery())
        let since = try await database.events(matching: EventQuery(sinceId: all[1].id, limit: 2))
        let closed = try await database.events(matching: EventQuery(types: [.ticketClosed]))

        #expect(all.count == 5)
        #expect(since.map(\.id) == [all[2].id, all[3].id])
        #expect(closed.count == 1)
        #expect(closed.first?.reason == "no longer needed")
        #expect(closed.first?.payload["resolution"] == "stopped")
        #expect(throws: EnsembleError.self) { try EventQuery(limit: 0) }
    }
}
