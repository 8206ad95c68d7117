import EnsembleCore
import EnsembleTestSupport
import Foundation
import GRDB
import Testing

@testable import EnsembleStore

/// The reads of a database file run on `ReaderConnections`: each in a transaction of its own,
/// on a connection that cannot write, and never left half done.
struct ReaderConnectionsTests {
    private static func projectCount(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM projects") ?? -1
    }

    /// Runs `body` with a database file holding one project, and readers of that file.
    private static func withReaders(
        _ body: (EnsembleDatabase, ReaderConnections, TemporaryDirectory) async throws -> Void
    ) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.appending("ensemble.db")
        let database = try EnsembleDatabase.open(at: path)
        _ = try await database.createProject(Fixtures.project(path: directory.path))
        try await body(database, ReaderConnections(path: path, configuration: Configuration()), directory)
    }

    @Test func aReadSeesEveryCommitBeforeItAndNoneDuringIt() async throws {
        try await Self.withReaders { database, readers, directory throws in
            let counts = try readers.read(
                { db in
                    let before = try Self.projectCount(db)
                    // A commit on the writer while the read runs does not show inside it.
                    try database.writer.write { db in
                        try db.execute(
                            sql:
                                "INSERT INTO projects (repository_name, path, created_at, updated_at) VALUES (?, ?, ?, ?)",
                            arguments: ["acme/other", directory.path, Date(), Date()]
                        )
                    }
                    return (before, try Self.projectCount(db))
                },
                otherwise: { (-1, -1) }
            )

            #expect(counts == (1, 1))
            #expect(try readers.read(Self.projectCount, otherwise: { -1 }) == 2)
        }
    }

    @Test func aReadThatThrowsLeavesItsConnectionReadyAndAReaderCannotWrite() async throws {
        try await Self.withReaders { _, readers, _ throws in
            #expect(throws: DatabaseError.self) {
                try readers.read({ db in try db.execute(sql: "DELETE FROM projects") }, otherwise: {})
            }

            // The same connection is lent again: a transaction left open would fail its BEGIN.
            #expect(try readers.read(Self.projectCount, otherwise: { -1 }) == 1)
        }
    }

    @Test func readsBeyondTheLimitRunOnTheFallback() async throws {
        try await Self.withReaders { _, readers, _ throws in
            var fallbacks = 0

            func nested(_ depth: Int) throws -> Int {
                try readers.read(
                    { db in
                        depth == 1 ? try Self.projectCount(db) : try nested(depth - 1)
                    },
                    otherwise: {
                        fallbacks += 1
                        return -1
                    }
                )
            }

            #expect(try nested(ReaderConnections.maximumCount) == 1)
            #expect(fallbacks == 0)
            #expect(try nested(ReaderConnections.maximumCount + 1) == -1)
            #expect(fallbacks == 1)
        }
    }
}
