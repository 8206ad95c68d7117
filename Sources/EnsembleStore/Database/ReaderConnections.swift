import GRDB
import Synchronization

/// Read-only connections to the database file, each lent to one read at a time, which runs on
/// the calling thread in a transaction of its own.
///
/// GRDB's pool read compiles `BEGIN`, `COMMIT` and a `PRAGMA schema_version` anew on every read
/// and lends its readers through a barrier queue: about half of a `get_ticket`. Here the
/// transaction's statements are prepared once per connection, and a connection is taken from a
/// list behind a mutex. The schema never changes under a running server (migrations run before
/// it serves), and a prepared statement that meets a changed schema is prepared again by SQLite.
///
/// At most `maximumCount` connections are opened, one per read running at the same time (reads
/// run on the threads that ask, so there are few); a read that finds all of them busy, or cannot
/// open one (no file descriptor left), uses the pool. A server's schema is migrated before it
/// serves and its lock keeps any other binary from migrating the file under it, so the column
/// lists GRDB keeps per prepared statement stay true.
final class ReaderConnections: Sendable {
    /// The most connections opened; reads beyond them share GRDB's pool.
    static let maximumCount = 8

    private struct State {
        var idle: [DatabaseQueue] = []
        var opened = 0
    }

    private let path: String
    private let configuration: Configuration
    private let state = Mutex(State())

    /// Connections to the file at `path`, opened when first needed with `configuration` made
    /// read-only.
    init(path: String, configuration: Configuration) {
        var configuration = configuration
        configuration.readonly = true
        self.path = path
        self.configuration = configuration
    }

    /// Runs `body` in a read transaction on an idle connection, or `otherwise` when every
    /// connection is busy.
    func read<T>(_ body: (Database) throws -> T, otherwise: () throws -> T) throws -> T {
        guard let connection = lend() else { return try otherwise() }
        defer { state.withLock { $0.idle.append(connection) } }
        return try connection.inDatabase { db in try db.inPreparedTransaction(.deferred) { try body(db) } }
    }

    /// An idle connection, a new one while fewer than `maximumCount` are open, or `nil` (also
    /// when a new one cannot be opened).
    private func lend() -> DatabaseQueue? {
        enum Lent {
            case idle(DatabaseQueue)
            case open
            case none
        }
        let lent = state.withLock { state -> Lent in
            if let connection = state.idle.popLast() { return .idle(connection) }
            guard state.opened < Self.maximumCount else { return .none }
            state.opened += 1
            return .open
        }
        switch lent {
        case .idle(let connection):
            return connection
        case .open:
            do {
                return try DatabaseQueue(path: path, configuration: configuration)
            } catch {
                state.withLock { $0.opened -= 1 }
                return nil
            }
        case .none:
            return nil
        }
    }
}
