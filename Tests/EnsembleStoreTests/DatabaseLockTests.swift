import EnsembleStore
import EnsembleTestSupport
import Foundation
import Testing

struct DatabaseLockTests {
    @Test func aSecondHolderIsRefusedWithTheFirstOnesNameUntilItLetsGo() throws {
        // Given a server holding the lock of a database
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.appending("data/ensemble.db")
        var first: DatabaseLock? = try DatabaseLock.acquire(for: path, holder: "listening on http://127.0.0.1:3000/mcp")

        // When a second one asks, it is refused in one sentence naming the holder
        let refusal = #expect(throws: StoreError.self) { try DatabaseLock.acquire(for: path) }
        guard case .databaseInUse(let database, let holder)? = refusal else {
            Issue.record("expected databaseInUse, got \(String(describing: refusal))")
            return
        }
        #expect(database == path)
        #expect(holder.contains("pid \(getpid())"))
        #expect(holder.contains("http://127.0.0.1:3000/mcp"))
        let message = StoreError.databaseInUse(path: database, holder: holder).description
        #expect(message.contains("only one server may run on a database"))
        #expect(!message.contains("\n"))
        #expect(first?.path == path + ".lock")

        // Then once the first lets go, the database is free again
        first = nil
        _ = try DatabaseLock.acquire(for: path)
    }

    @Test func aSymbolicLinkToTheDatabaseIsTheSameDatabase() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.appending("ensemble.db")
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        try FileManager.default.createSymbolicLink(atPath: directory.appending("alias.db"), withDestinationPath: path)
        let held = try DatabaseLock.acquire(for: path)

        #expect(throws: StoreError.self) { try DatabaseLock.acquire(for: directory.appending("alias.db")) }
        withExtendedLifetime(held) {}
    }
}
