import Dispatch
import EnsembleCore
import EnsembleTestSupport
import GRDB
import Synchronization
import Testing

@testable import EnsembleStore

/// Writes that wait together share one commit, and each keeps its own outcome.
struct GroupCommitTests {
    private struct Refused: Error, Equatable {
        let number: Int
    }

    /// Counts the commits of a database, and how many came before each write that notes it.
    private final class CommitCounter: TransactionObserver, @unchecked Sendable {
        let commits = Mutex(0)
        let commitsBeforeWrites = Mutex<[Int]>([])
        func noteCommitsBeforeWrite() {
            let count = commits.withLock { $0 }
            commitsBeforeWrites.withLock { $0.append(count) }
        }
        func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { true }
        func databaseDidChange(with event: DatabaseEvent) {}
        func databaseDidCommit(_ db: Database) { commits.withLock { $0 += 1 } }
        func databaseDidRollback(_ db: Database) {}
    }

    /// Runs `body` with a database file holding an empty `notes` table.
    private static func withNotes(_ body: (DatabasePool) async throws -> Void) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let pool = try DatabasePool(path: directory.appending("notes.db"))
        try await pool.write { db in try db.execute(sql: "CREATE TABLE notes (number INTEGER PRIMARY KEY)") }
        try await body(pool)
    }

    /// Starts a write of `number` into `notes` whose body holds the writer until `release` is
    /// signalled; returns once that body runs.
    private static func holdWriter(
        _ group: GroupCommit,
        inserting number: Int,
        until release: DispatchSemaphore
    ) async -> Task<Int, any Error> {
        let started = Mutex(false)
        let write = Task {
            try await group.write { db in
                started.withLock { $0 = true }
                release.wait()
                try db.execute(sql: "INSERT INTO notes VALUES (?)", arguments: [number])
                return number
            }
        }
        var polls = 0
        while !started.withLock({ $0 }), polls < 100_000 {
            await Task.yield()
            polls += 1
        }
        return write
    }

    @Test func writesWaitingTogetherShareACommitAndAFailedOneChangesNothing() async throws {
        // Given a database file and a first write that holds the writer until 20 more wait
        try await Self.withNotes { pool throws in
            let counter = CommitCounter()
            pool.add(transactionObserver: counter, extent: .databaseLifetime)
            let bell = EventBell()
            let group = GroupCommit(writer: pool, bell: bell)
            let release = DispatchSemaphore(value: 0)
            let first = await Self.holdWriter(group, inserting: 0, until: release)

            // When 20 writes arrive meanwhile, every third of which throws after its insert (each
            // notes how many commits came before it: the writes of one transaction see the same)
            let results = try await withThrowingTaskGroup(of: Result<Int, Refused>.self) { tasks in
                for number in 1...20 {
                    tasks.addTask {
                        do {
                            return .success(
                                try await group.write { db in
                                    counter.noteCommitsBeforeWrite()
                                    try db.execute(sql: "INSERT INTO notes VALUES (?)", arguments: [number])
                                    if number.isMultiple(of: 3) { throw Refused(number: number) }
                                    return number
                                }
                            )
                        } catch let refused as Refused {
                            return .failure(refused)
                        }
                    }
                }
                var waited = 0
                while group.waitingCount < 20, waited < 10_000 {
                    await Task.yield()
                    waited += 1
                }
                release.signal()
                return try await tasks.reduce(into: []) { $0.append($1) }
            }
            #expect(try await first.value == 0)

            // Then 15 of them joined the first write's transaction once it ran, up to the group's
            // limit, and the other 5 took a second; each commit rang the bell once, each write got
            // its own outcome, and only the refused are absent
            #expect(counter.commits.withLock { $0 } == 2)
            #expect(
                counter.commitsBeforeWrites.withLock { $0 } == Array(repeating: 0, count: 15)
                    + Array(repeating: 1, count: 5)
            )
            #expect(GroupCommit.maximumGroupSize == 16)
            #expect(bell.generation == 2)
            let refused = results.compactMap { if case .failure(let error) = $0 { error.number } else { nil } }
            #expect(Set(refused) == Set(stride(from: 3, through: 20, by: 3)))
            let stored = try pool.read { db in
                try Int.fetchAll(db, sql: "SELECT number FROM notes ORDER BY number")
            }
            #expect(stored == [0] + (1...20).filter { !$0.isMultiple(of: 3) })
        }
    }

    @Test func aLoneWriteThatThrowsGetsItsErrorAndChangesNothing() async throws {
        try await Self.withNotes { pool throws in
            let group = GroupCommit(writer: pool, bell: EventBell())

            await #expect(throws: Refused(number: 1)) {
                try await group.write { db in
                    try db.execute(sql: "INSERT INTO notes VALUES (1)")
                    throw Refused(number: 1)
                }
            }
            #expect(try await group.write { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM notes") } == 0)
        }
    }

    @Test func aGroupWhoseTransactionSQLiteEndedKeepsNoneOfItsWrites() async throws {
        // Given a first write that holds the writer until a second waits, whose body ends the
        // transaction itself (as SQLite does after an I/O error) and swallows nothing
        try await Self.withNotes { pool throws in
            let group = GroupCommit(writer: pool, bell: EventBell())
            let release = DispatchSemaphore(value: 0)
            let first = await Self.holdWriter(group, inserting: 1, until: release)
            var polls = 0
            let second = Task {
                try await group.write { db in
                    try db.execute(sql: "INSERT INTO notes VALUES (2)")
                    try db.execute(sql: "ROLLBACK")
                }
            }
            while group.waitingCount < 1, polls < 200_000 {
                await Task.yield()
                polls += 1
            }
            release.signal()

            // Then both writes fail, neither is stored, and the writer still works
            await #expect(throws: TransactionEnded.self) { try await first.value }
            await #expect(throws: TransactionEnded.self) { try await second.value }
            #expect(try await group.write { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM notes") } == 0)

            // And so does a lone write whose transaction ended
            await #expect(throws: TransactionEnded.self) {
                try await group.write { db in
                    try db.execute(sql: "INSERT INTO notes VALUES (3)")
                    try db.execute(sql: "ROLLBACK")
                }
            }
            #expect(try await group.write { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM notes") } == 0)
        }
    }
}
