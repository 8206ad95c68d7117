import EnsembleCore
import GRDB

extension EnsembleDatabase {
    /// Runs `body` in a write transaction, shared with the writes waiting beside it
    /// (`GroupCommit`); domain errors pass through, SQLite errors become `StoreError`.
    ///
    /// The event bell rings after its commit, once per commit (waiters for events look again),
    /// unless `ringsBell` is false, for writes that never record an event and happen often, such
    /// as a worker's activity.
    func write<T: Sendable>(
        ringsBell: Bool = true,
        _ body: @escaping @Sendable (Database) throws -> T
    ) async throws -> T {
        do {
            return try await groupCommit.write(ringsBell: ringsBell, body)
        } catch let error as EnsembleError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw StoreError(error)
        }
    }

    /// Runs `body`, then the dispatch pass, in one write transaction: for every change that can
    /// alter capacity or state, so no write path can forget to route what it freed or queued.
    func settle<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let routing = routing
        return try await write { db in
            let result = try body(db)
            try Self.dispatch(db, routing: routing)
            return result
        }
    }

    /// Runs `body` in one read transaction; domain errors pass through, SQLite errors become `StoreError`.
    ///
    /// The read runs on the calling thread, which it holds while it runs (and, with every reader
    /// of the pool busy, while it waits for one): a read is short, never waits for a write on a
    /// database file (WAL; an in-memory store's queue does), and a hop to GRDB's reader queue and
    /// back cost two thread wake-ups per tool call.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try readHere(body)
        } catch let error as EnsembleError {
            throw error
        } catch {
            throw StoreError(error)
        }
    }

    /// A synchronous read (`ReaderConnections`, else GRDB's), which an `async` context would
    /// not choose by itself.
    private func readHere<T>(_ body: (Database) throws -> T) throws -> T {
        guard let readers else { return try writer.read(body) }
        return try readers.read(body) { try writer.read(body) }
    }
}
