import EnsembleCore
import EnsembleStore
import EnsembleTestSupport
import Foundation
import GRDB
import Testing

struct DatabaseFileTests {
    @Test func migratesAFileDatabaseAndKeepsDataAcrossReopening() async throws {
        // Given a database file in a directory that does not exist yet
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.appending("nested/dir/ensemble.db")
        do {
            let database = try EnsembleDatabase.open(at: path)
            _ = try await database.createProject(Fixtures.project(path: directory.path))
        }

        // When it is opened again
        let reopened = try EnsembleDatabase.open(at: path)

        // Then the schema is current and the data is there
        let health = try await reopened.checkHealth()
        #expect(health.schemaVersion == "v10_runs_and_worktrees")
        #expect(health.projects == 1)
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func reportsAnUnusableLocationInOneSentence() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        FileManager.default.createFile(atPath: directory.appending("file"), contents: Data())

        #expect {
            _ = try EnsembleDatabase.open(at: directory.appending("file/sub/ensemble.db"))
        } throws: { error in
            guard case StoreError.cannotOpen(let path, _) = error else { return false }
            return path.hasSuffix("file/sub/ensemble.db")
        }
    }

    @Test func aNewerSchemaIsRefusedInOneLineAndLeftAlone() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.appending("ensemble.db")
        _ = try EnsembleDatabase.open(at: path)
        try await DatabaseQueue(path: path).write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99_from_the_future')")
        }

        let expected = StoreError.newerSchema(path: path, latestKnown: EnsembleDatabase.latestSchema)
        #expect(throws: expected) { try EnsembleDatabase.open(at: path) }
        #expect(throws: expected) { try EnsembleDatabase.openReadOnly(at: path) }
        #expect(expected.description.contains("upgrade vibe-ensemble"))
    }

    @Test func readingOnlyNeverMigratesCreatesOrWrites() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(throws: StoreError.self) { try EnsembleDatabase.openReadOnly(at: directory.appending("none.db")) }
        #expect(!FileManager.default.fileExists(atPath: directory.appending("none.db")))

        let old = directory.appending("old.db")
        try await DatabaseQueue(path: old).write { db in
            try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v1_initial_schema')")
        }
        #expect(throws: StoreError.olderSchema(path: old)) { try EnsembleDatabase.openReadOnly(at: old) }

        let current = directory.appending("current.db")
        do {
            let database = try EnsembleDatabase.open(at: current)
            _ = try await database.createProject(Fixtures.project(path: directory.path))
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: current))
        let reader = try EnsembleDatabase.openReadOnly(at: current)
        #expect(try await reader.checkHealth().projects == 1)
        await #expect(throws: (any Error).self) {
            _ = try await reader.createProject(Fixtures.project("other/repo", path: directory.path))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: current)) == before)
    }
}
