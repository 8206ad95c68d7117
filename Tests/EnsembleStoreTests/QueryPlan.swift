import EnsembleTestSupport
import GRDB

@testable import EnsembleStore

/// What SQLite's `EXPLAIN QUERY PLAN` says of `sql` on a seeded store, its steps joined by `; `.
func queryPlan(of sql: String, arguments: StatementArguments = []) async throws -> String {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
    return try await database.writer.read { db in
        try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments)
            .map { $0["detail"] as String }.joined(separator: "; ")
    }
}
