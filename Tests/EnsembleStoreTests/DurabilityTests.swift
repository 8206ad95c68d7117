import EnsembleCore
import EnsembleTestSupport
import GRDB
import Testing

@testable import EnsembleStore

struct DurabilityTests {
    @Test func everyCommitOfAFileDatabaseIsSyncedToDisk() async throws {
        // Given a database file opened as the server opens it (a WAL pool)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try EnsembleDatabase.open(at: directory.appending("ensemble.db"))
        _ = try await database.createProject(Fixtures.project(path: directory.path))

        // Then the connection that writes is in WAL mode with synchronous FULL (2), not the
        // NORMAL (1) a pool sets when it opens, which syncs only at checkpoints
        let (journal, synchronous) = try await database.writer.write { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"))
        }
        #expect(journal == "wal")
        #expect(synchronous == 2)
    }

    @Test func savepointJournalsStayInMemory() async throws {
        // Given a database file
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try EnsembleDatabase.open(at: directory.appending("ensemble.db"))

        // Then every connection keeps temporary data, such as the statement journal of each
        // write's savepoint in a group commit, in memory (2), not in a file made per commit
        let writing = try await database.writer.write { db in try Int.fetchOne(db, sql: "PRAGMA temp_store") }
        let reading = try await database.writer.read { db in try Int.fetchOne(db, sql: "PRAGMA temp_store") }
        #expect(writing == 2)
        #expect(reading == 2)
    }
}
