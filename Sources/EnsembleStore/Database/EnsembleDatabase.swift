package import EnsembleCore
import Foundation
package import GRDB

/// The store: one SQLite database holding projects, worker types, tickets, comments, workers,
/// tasks and events.
///
/// It owns one `DatabaseWriter` (a WAL `DatabasePool` for files, a `DatabaseQueue` in memory for
/// tests) and, for files, the read-only `ReaderConnections` its reads run on. It migrates on
/// creation and exposes intent-named async methods that implement the core's store ports.
/// Callers never see SQL or `Database`. Every change runs in one `IMMEDIATE` transaction that
/// also writes its event, so a crash leaves either all of it or none.
///
/// The rules live in the core (`StageProgression`, `Dispatch`, `WorkerPool`, `ClaimRelease`,
/// `WorkerLifecycle`): a write loads their inputs, applies the effects they return, and ends with
/// the dispatch pass when it can have changed capacity or state, so no write path decides routing
/// for itself. Every timestamp comes from the injected clock (GRDB's transaction date).
///
/// ```swift
/// let database = try EnsembleDatabase.open(at: "/tmp/ensemble.db")
/// let project = try await database.createProject(newProject)
/// ```
package final class EnsembleDatabase: Sendable {
    /// The connection everything goes through; GRDB serializes its writes.
    let writer: any DatabaseWriter
    /// Writes go through here, so the ones that wait together share one commit.
    let groupCommit: GroupCommit
    /// Where reads of a database file run (`read`); `nil` in memory, where reads use `writer`.
    let readers: ReaderConnections?
    /// How enqueued tasks find workers.
    let routing: RoutingPolicy
    /// Where timestamps and leases come from.
    let clock: any EnsembleClock
    /// Rung after every committed write, so `wait_for_events` hears of new events at once.
    package let eventBell = EventBell()

    // MARK: - Initialization

    /// Wraps `writer` and brings its schema up to date.
    /// - Throws: `StoreError` when migrating fails.
    package convenience init(
        _ writer: any DatabaseWriter,
        routing: RoutingPolicy = RoutingPolicy(),
        clock: any EnsembleClock = SystemClock()
    ) throws(StoreError) {
        try self.init(writer, readers: nil, routing: routing, clock: clock)
    }

    /// Wraps `writer`, whose file `readers` read, and brings its schema up to date.
    init(
        _ writer: any DatabaseWriter,
        readers: ReaderConnections?,
        routing: RoutingPolicy,
        clock: any EnsembleClock
    ) throws(StoreError) {
        self.writer = writer
        self.readers = readers
        self.groupCommit = GroupCommit(writer: writer, bell: eventBell)
        self.routing = routing
        self.clock = clock
        let superseded: Bool
        do {
            superseded = try writer.read { db in try Self.migrator.hasBeenSuperseded(db) }
        } catch {
            throw StoreError(error)
        }
        guard !superseded else {
            throw .newerSchema(path: writer.path, latestKnown: Self.latestSchema)
        }
        do {
            try Self.migrator.migrate(writer)
            // FULL: a committed queue or event write survives power loss, not only a crash. Set
            // on the writing connection after it opened: GRDB's pool sets WAL mode's usual NORMAL
            // when it opens, after `prepareDatabase`, which would leave commits without an fsync.
            try writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        } catch {
            throw StoreError(error)
        }
    }

    /// Wraps a read-only `reader` of a database already at this binary's schema.
    private init(
        readOnly reader: any DatabaseWriter,
        routing: RoutingPolicy,
        clock: any EnsembleClock
    ) throws(StoreError) {
        self.writer = reader
        self.readers = nil
        self.groupCommit = GroupCommit(writer: reader, bell: eventBell)
        self.routing = routing
        self.clock = clock
        let (superseded, complete): (Bool, Bool)
        do {
            (superseded, complete) = try reader.read { db in
                (try Self.migrator.hasBeenSuperseded(db), try Self.migrator.hasCompletedMigrations(db))
            }
        } catch {
            throw StoreError(error)
        }
        guard !superseded else { throw .newerSchema(path: reader.path, latestKnown: Self.latestSchema) }
        guard complete else { throw .olderSchema(path: reader.path) }
    }

    /// The newest migration this binary knows.
    package static var latestSchema: String { migrator.migrations.last ?? "none" }

    /// Opens (creating if needed) the database file at `path`, with its parent directories.
    /// - Throws: `StoreError.cannotOpen` with the reason, e.g. a directory that is not writable.
    package static func open(
        at path: String,
        routing: RoutingPolicy = RoutingPolicy(),
        clock: any EnsembleClock = SystemClock()
    ) throws(StoreError) -> EnsembleDatabase {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .cannotOpen(path: path, reason: "cannot create directory \(directory) (\(Self.reason(of: error)))")
        }
        do {
            let configuration = makeConfiguration(clock: clock)
            return try EnsembleDatabase(
                DatabasePool(path: path, configuration: configuration),
                readers: ReaderConnections(path: path, configuration: configuration),
                routing: routing,
                clock: clock
            )
        } catch StoreError.newerSchema(let path, let latest) {
            throw .newerSchema(path: path, latestKnown: latest)
        } catch let error as StoreError {
            throw .cannotOpen(path: path, reason: error.description)
        } catch {
            throw .cannotOpen(path: path, reason: Self.reason(of: error))
        }
    }

    /// Opens the existing database at `path` for reading only: nothing is created, migrated or
    /// written (`status` uses it, so looking never changes anything).
    /// - Throws: `StoreError.cannotOpen`, `.newerSchema` or `.olderSchema`.
    package static func openReadOnly(at path: String) throws(StoreError) -> EnsembleDatabase {
        var configuration = makeConfiguration(clock: SystemClock())
        configuration.readonly = true
        do {
            return try EnsembleDatabase(
                readOnly: DatabaseQueue(path: path, configuration: configuration),
                routing: RoutingPolicy(),
                clock: SystemClock()
            )
        } catch let error as StoreError {
            throw error
        } catch {
            throw .cannotOpen(path: path, reason: Self.reason(of: error))
        }
    }

    /// Creates an empty database in memory, for tests.
    package static func inMemory(
        routing: RoutingPolicy = RoutingPolicy(),
        clock: any EnsembleClock = SystemClock()
    ) throws(StoreError) -> EnsembleDatabase {
        do {
            return try EnsembleDatabase(
                DatabaseQueue(configuration: makeConfiguration(clock: clock)),
                routing: routing,
                clock: clock
            )
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(error)
        }
    }

    // MARK: - Private helpers

    private static func makeConfiguration(clock: any EnsembleClock) -> Configuration {
        var configuration = Configuration()
        // Every timestamp a transaction writes is `db.transactionDate`, read from our clock.
        configuration.transactionClock = .custom { _ in clock.now }
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            // A group commit runs each write in a savepoint, whose statement journal SQLite keeps
            // in a temporary file by default: created, written and unlinked on every commit.
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        return configuration
    }

    private static func reason(of error: any Error) -> String {
        if let error = error as? DatabaseError {
            return error.message ?? "SQLite error \(error.resultCode.rawValue)"
        }
        return (error as NSError).localizedDescription
    }
}
