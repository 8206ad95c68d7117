import EnsembleTestSupport
import GRDB
import Testing

@testable import EnsembleStore

/// Every `get_ticket` and every close reads dependencies: through the edge table's key and its
/// `ticket_dependents` index, never a scan, however many tickets there are.
struct DependencyQueryPlanTests {
    private func plan(of sql: String, arguments: StatementArguments) async throws -> String {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        return try await database.writer.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments)
                .map { $0["detail"] as String }.joined(separator: "; ")
        }
    }

    @Test func aTicketsLinksAreSoughtOnBothSides() async throws {
        let plan = try await plan(of: EnsembleDatabase.linkedTicketsQuery, arguments: ["SHOP-1"])
        #expect(plan.contains("SEARCH d USING PRIMARY KEY (ticket_id=?)"), "\(plan)")
        #expect(plan.contains("SEARCH d USING COVERING INDEX ticket_dependents (depends_on=?)"), "\(plan)")
        #expect(!plan.contains("SCAN"), "\(plan)")
    }

    @Test func aClosingTicketsDependentsAreSoughtInTheIndex() async throws {
        let plan = try await plan(
            of: EnsembleDatabase.waitingDependentsQuery,
            arguments: ["SHOP-1", "blocked", "on_hold"]
        )
        #expect(plan.contains("USING COVERING INDEX ticket_dependents (depends_on=?)"), "\(plan)")
        #expect(!plan.contains("SCAN"), "\(plan)")
    }
}
