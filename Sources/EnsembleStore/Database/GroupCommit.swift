import Dispatch
import EnsembleCore
import GRDB
import Synchronization

/// Group commit: the writes waiting while one transaction commits run together in the next
/// transaction, each in a savepoint of its own, and share its one fsync.
///
/// With `synchronous=FULL` a commit costs an fsync, and SQLite has one writer, so concurrent
/// writes (a coordinator filing tickets while workers claim and complete) used to queue for one
/// fsync each. Each write still sees the ones before it and is answered only after the commit
/// that holds it is on disk; a write that throws rolls back its own savepoint and changes
/// nothing, and the others in its group commit as if it never ran. A failed commit fails every
/// write of its group, none of which took effect.
///
/// A lone write runs at once: nothing waits for a group to fill. Writes that arrive while a
/// group's bodies run join it (up to `maximumGroupSize`), so they share the commit that was
/// about to happen instead of waiting for it and then for one of their own.
///
/// Groups are committed on a serial queue of their own with GRDB's synchronous write, which runs
/// on that queue's thread: a write waits for one thread to wake for its commit and one for its
/// answer, where an actor and GRDB's asynchronous write took twice as many hand-offs.
///
/// Isolation: the writes waiting for the next group are behind a mutex; one commit loop runs at
/// a time, on `commits`.
final class GroupCommit: Sendable {
    /// One write waiting for its group: runs its body in the group's transaction, and is told
    /// the outcome of the commit.
    private struct Entry {
        let ringsBell: Bool
        /// Runs the write's body, keeping what it returned or threw for `finish`.
        let run: @Sendable (Database) throws -> Void
        /// Keeps `error` as the write's outcome: its savepoint failed, so nothing of it is kept,
        /// even when its body had returned.
        let fail: @Sendable (any Error) -> Void
        let finish: @Sendable ((any Error)?) -> Void
    }

    private struct State {
        var waiting: [Entry] = []
        var isCommitting = false
    }

    /// The most writes one transaction holds, so that the first of them is not kept waiting
    /// for its answer by a stream of later ones.
    static let maximumGroupSize = 16

    private let writer: any DatabaseWriter
    private let bell: EventBell
    private let state = Mutex(State())
    private let commits = DispatchQueue(label: "vibe-ensemble.group-commit")

    /// Commits through `writer`, ringing `bell` once per commit that holds a write asking for it.
    init(writer: any DatabaseWriter, bell: EventBell) {
        self.writer = writer
        self.bell = bell
    }

    /// How many writes wait for the next group.
    var waitingCount: Int { state.withLock { $0.waiting.count } }

    /// Runs `body` in a transaction shared with the writes that wait beside it; with `ringsBell`,
    /// the event bell rings once that transaction committed (once for all of its writes).
    /// - Returns: What `body` returned, once its transaction committed.
    /// - Throws: What `body` threw (nothing of it was written), or the commit's failure.
    func write<T: Sendable>(
        ringsBell: Bool = true,
        _ body: @escaping @Sendable (Database) throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            // Touched by the group's transaction (`run`, then `fail` if its savepoint failed) and
            // then by `finish`, one after the other.
            let outcome = OutcomeBox<T>()
            let entry = Entry(
                ringsBell: ringsBell,
                run: { db in
                    do {
                        outcome.result = .success(try body(db))
                    } catch {
                        outcome.result = .failure(error)
                        throw error
                    }
                },
                fail: { error in outcome.result = .failure(error) },
                finish: { commitError in
                    // The write's own failure comes first: a lone write's also fails its commit.
                    if case .failure(let error)? = outcome.result {
                        continuation.resume(throwing: error)
                    } else if let commitError {
                        continuation.resume(throwing: commitError)
                    } else if let result = outcome.result {
                        continuation.resume(with: result)
                    } else {
                        continuation.resume(throwing: CancellationError())
                    }
                }
            )
            let startsLoop = state.withLock { state in
                state.waiting.append(entry)
                defer { state.isCommitting = true }
                return !state.isCommitting
            }
            if startsLoop {
                commits.async { self.commitWaitingGroups() }
            }
        }
    }

    /// Commits groups until no write waits.
    private func commitWaitingGroups() {
        while let group = nextGroup() {
            // Every write this transaction took, to be told its outcome: the group, and the
            // writes that joined it while it ran.
            var taken = group
            do {
                try writer.writeWithoutTransaction { db in
                    try db.inPreparedTransaction(.immediate) {
                        // A lone write needs no savepoint: if it throws, its transaction rolls
                        // back before any later write joined it.
                        var batch = group
                        var isolates = group.count > 1
                        while !batch.isEmpty {
                            for entry in batch {
                                if isolates {
                                    try Self.runInSavepoint(entry, db)
                                } else {
                                    try entry.run(db)
                                }
                                // A body that swallowed an error after which SQLite ended the
                                // transaction would let the next savepoint start a new one.
                                guard db.isInsideTransaction else { throw TransactionEnded() }
                            }
                            isolates = true
                            batch = lateArrivals(upTo: Self.maximumGroupSize - taken.count)
                            taken += batch
                        }
                    }
                }
                if taken.contains(where: \.ringsBell) { bell.ring() }
                for entry in taken { entry.finish(nil) }
            } catch {
                for entry in taken { entry.finish(error) }
            }
        }
    }

    /// Runs `entry` in a savepoint of its own: if it throws, it rolls back alone and the others
    /// commit.
    ///
    /// The savepoint's statements are prepared once per connection: GRDB's `inSavepoint` compiles
    /// them on every call, on the one thread every write waits for.
    /// - Throws: `TransactionEnded` when SQLite ended the whole transaction (then nothing of the
    ///   group can be kept, and the group fails), or the failure of its rollback.
    private static func runInSavepoint(_ entry: Entry, _ db: Database) throws {
        do {
            try db.execute(cached: "SAVEPOINT entry")
        } catch {
            entry.fail(error)
            return
        }
        do {
            try entry.run(db)
            guard db.isInsideTransaction else { throw TransactionEnded() }
            try db.execute(cached: "RELEASE SAVEPOINT entry")
        } catch {
            entry.fail(error)
            guard db.isInsideTransaction else { throw TransactionEnded() }
            try db.execute(cached: "ROLLBACK TO SAVEPOINT entry")
            try db.execute(cached: "RELEASE SAVEPOINT entry")
        }
    }

    /// Up to `limit` writes that arrived while a group ran, to join it; none when it is full.
    private func lateArrivals(upTo limit: Int) -> [Entry] {
        guard limit > 0 else { return [] }
        return state.withLock { state in
            let joining = Array(state.waiting.prefix(limit))
            state.waiting.removeFirst(joining.count)
            return joining
        }
    }

    /// The writes waiting now, taken for the next commit; `nil` (and the loop ends) when none wait.
    private func nextGroup() -> [Entry]? {
        state.withLock { state in
            guard !state.waiting.isEmpty else {
                state.isCommitting = false
                return nil
            }
            defer { state.waiting.removeAll() }
            return state.waiting
        }
    }
}

/// SQLite ended a group's transaction before its commit (an I/O error, a full disk): none of the
/// group's writes is kept.
struct TransactionEnded: Error, CustomStringConvertible {
    var description: String { "SQLite ended the transaction before its commit; nothing of it was written" }
}

/// The result of one write of a group, kept between its run and the commit.
private final class OutcomeBox<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}
