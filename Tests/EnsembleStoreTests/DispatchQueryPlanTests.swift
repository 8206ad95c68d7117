import EnsembleTestSupport
import GRDB
import Testing

@testable import EnsembleStore

/// The dispatch pass of every write reads the backlog through its index: the groups from the
/// index alone, one group's tasks by a seek, never a sort.
struct DispatchQueryPlanTests {
    private func plan(of sql: String, arguments: StatementArguments = []) async throws -> String {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        return try await database.writer.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments)
                .map { $0["detail"] as String }.joined(separator: "; ")
        }
    }

    @Test func theBacklogsGroupsAreReadFromTheIndexAlone() async throws {
        let plan = try await plan(of: EnsembleDatabase.backlogGroupsQuery)
        #expect(plan.contains("COVERING INDEX tasks_backlog"), "\(plan)")
        #expect(!plan.contains("TEMP B-TREE"), "\(plan)")
    }

    @Test func aGroupsTasksAreSoughtInTheIndex() async throws {
        let plan = try await plan(
            of: EnsembleDatabase.backlogGroupQuery,
            arguments: ["acme/shop", "coder", "waiting", false]
        )
        #expect(plan.hasPrefix("SEARCH tasks USING INDEX tasks_backlog"), "\(plan)")
    }
}
