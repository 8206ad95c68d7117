package import EnsembleCore
import Foundation
package import GRDB

/// The store: one SQLite database holding projects, worker types, tickets, comments, workers,
/// tasks and events.
///
/// It owns one `DatabaseWriter` (a WAL `DatabasePool` for files, a `DatabaseQueue` in memory for
/// tests), migrates it on creation, and exposes intent-named async methods that implement the
/// core's store ports. Callers never see SQL or `Database`. Every change runs in one `IMMEDIATE`
/// transaction that also writes its event, so a crash leaves either all of it or none.
///
/// ```swift
/// let database = try EnsembleDatabase.open(at: "/tmp/ensemble.db")
/// let project = try await database.createProject(newProject)
/// ```
package final class EnsembleDatabase: Sendable {
    /// The connection everything goes through; GRDB serializes its writes.
    let writer: any DatabaseWriter
    /// How enqueued tasks find workers.
    let routing: RoutingPolicy
    /// Rung after every committed write, so `wait_for_events` hears of new events at once.
    package let eventBell = EventBell()

    // MARK: - Initialization

    /// Wraps `writer` and brings its schema up to date.
    /// - Throws: `StoreError` when migrating fails.
    package init(_ writer: any DatabaseWriter, routing: RoutingPolicy = RoutingPolicy()) throws(StoreError) {
        self.writer = writer
        self.routing = routing
        do {
            try Self.migrator.migrate(writer)
        } catch {
            throw StoreError(error)
        }
    }

    /// Opens (creating if needed) the database file at `path`, with its parent directories.
    /// - Throws: `StoreError.cannotOpen` with the reason, e.g. a directory that is not writable.
    package static func open(at path: String, routing: RoutingPolicy = RoutingPolicy()) throws(StoreError)
        -> EnsembleDatabase
    {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .cannotOpen(path: path, reason: "cannot create directory \(directory) (\(Self.reason(of: error)))")
        }
        do {
            return try EnsembleDatabase(DatabasePool(path: path, configuration: makeConfiguration()), routing: routing)
        } catch let error as StoreError {
            throw .cannotOpen(path: path, reason: error.description)
        } catch {
            throw .cannotOpen(path: path, reason: Self.reason(of: error))
        }
    }

    /// Creates an empty database in memory, for tests.
    package static func inMemory(routing: RoutingPolicy = RoutingPolicy()) throws(StoreError) -> EnsembleDatabase {
        do {
            return try EnsembleDatabase(DatabaseQueue(configuration: makeConfiguration()), routing: routing)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(error)
        }
    }

    // MARK: - Private helpers

    private static func makeConfiguration() -> Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            // FULL: a committed queue or event write survives power loss, not only a crash.
            try db.execute(sql: "PRAGMA synchronous = FULL")
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
