import EnsembleCore
import EnsembleStore
import EnsembleTestSupport
import Foundation
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
        #expect(health.schemaVersion == "v4_pinned_and_borrowed_claims")
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
}
