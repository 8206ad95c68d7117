import EnsembleCore
import EnsembleTestSupport
import GRDB
import Testing

@testable import EnsembleStore

/// `list_tickets` pages: every ticket once, in order, whatever happens between pages.
struct TicketPageTests {
    private let project = ProjectID(uncheckedRawValue: "acme/shop")

    private func allPages(
        of database: EnsembleDatabase,
        state: TicketState? = nil,
        limit: Int
    ) async throws -> [[String]] {
        var pages: [[String]] = []
        var cursor: PageCursor?
        repeat {
            let page = try await database.ticketPage(
                in: project,
                state: state,
                page: try PageRequest(after: cursor, limit: limit)
            )
            pages.append(page.items.map(\.ticketId.rawValue))
            cursor = page.next
        } while cursor != nil && pages.count < 100
        return pages
    }

    @Test func pagesGiveEveryTicketOnceInListOrderAndTheLastHasNoCursor() async throws {
        // Given seven tickets, some filed in the same instant (equal created_at), two closed
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = ManualClock()
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path, clock: clock)
        for number in 1...7 {
            if number.isMultiple(of: 3) { clock.advance(by: .seconds(1)) }
            _ = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        }
        for closed in ["SHOP-2", "SHOP-5"] {
            _ = try await database.closeTicket(TicketID(uncheckedRawValue: closed), resolution: .completed, reason: nil)
        }
        let everything = try await database.listTickets(in: project, state: nil).map(\.ticketId.rawValue)

        // When they are read three at a time
        let pages = try await allPages(of: database, limit: 3)

        // Then the pages are the whole list, in its order, and only a full page has a cursor
        #expect(pages.flatMap { $0 } == everything)
        #expect(pages.map(\.count) == [3, 3, 1])
        #expect(try await allPages(of: database, limit: 7) == [everything])
        let open = try await database.listTickets(in: project, state: .open).map(\.ticketId.rawValue)
        #expect(try await allPages(of: database, state: .open, limit: 2).flatMap { $0 } == open)
    }

    @Test func aTicketFiledOrClosedBetweenPagesNeitherRepeatsNorSkipsOne() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = ManualClock()
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path, clock: clock)
        for _ in 1...4 {
            clock.advance(by: .seconds(1))
            _ = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        }
        let first = try await database.ticketPage(in: nil, state: nil, page: try PageRequest(limit: 2))

        // Between pages one ticket of the first page closes and a new one is filed
        _ = try await database.closeTicket(TicketID(uncheckedRawValue: "SHOP-1"), resolution: .stopped, reason: nil)
        clock.advance(by: .seconds(1))
        _ = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))

        let second = try await database.ticketPage(
            in: nil,
            state: nil,
            page: try PageRequest(after: first.next, limit: 10)
        )
        #expect(first.items.map(\.ticketId.rawValue) == ["SHOP-1", "SHOP-2"])
        #expect(second.items.map(\.ticketId.rawValue) == ["SHOP-3", "SHOP-4", "SHOP-5"])
        #expect(second.next == nil)
    }

    @Test func everyFilterSeeksThroughAnIndexWithoutSorting() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        let cursor = PageCursor(key: "2026-12-01 00:00:00.000", id: "SHOP-1")
        for project in [nil, project] as [ProjectID?] {
            for state in [nil, TicketState.open] {
                for after in [nil, cursor] {
                    let plan = try await database.writer.read { db -> String in
                        let (sql, arguments) = try EnsembleDatabase.ticketPageQuery(
                            db,
                            project: project,
                            state: state,
                            page: try PageRequest(after: after, limit: 50)
                        )
                        return try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments)
                            .map { $0["detail"] as String }.joined(separator: "; ")
                    }
                    // A page reads its own rows in index order: it never sorts, and with a
                    // filter or a cursor it seeks instead of scanning from the start.
                    #expect(plan.contains("INDEX tickets_"), "\(plan)")
                    #expect(!plan.contains("TEMP B-TREE"), "\(plan)")
                    if project != nil || state != nil || after != nil {
                        #expect(plan.hasPrefix("SEARCH"), "\(plan)")
                    }
                }
            }
        }
    }

    @Test func aCursorThisServerDidNotWriteIsRefused() throws {
        let cursor = PageCursor(key: "2026-12-01 10:00:00.000", id: "SHOP-12")
        #expect(try PageCursor(text: cursor.text) == cursor)
        for forged in ["", "SHOP-12", "c1.", "c1.!!!", "c1." + String(cursor.text.dropFirst(3).prefix(4)), "c2.abc"] {
            #expect(throws: EnsembleError.self, "\(forged)") { try PageCursor(text: forged) }
        }
        #expect(throws: EnsembleError.self) { try PageRequest(limit: 0) }
        #expect(throws: EnsembleError.self) { try PageRequest(limit: PageRequest.limitRange.upperBound + 1) }
    }
}
