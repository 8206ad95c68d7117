/// Infrastructure failures of the store: the file cannot be opened, or SQLite failed.
///
/// Domain failures (not found, duplicate, refused) are `EnsembleError`s, not store errors.
package enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The database file or its directory cannot be created or opened.
    case cannotOpen(path: String, reason: String)
    /// SQLite reported an error while reading or writing.
    case database(String)
    /// A stored value cannot be read back (a corrupt row or a newer schema).
    case corruptRow(table: String, reason: String)
    /// Another server holds the database's lock.
    case databaseInUse(path: String, holder: String)
    /// The schema was written by a newer vibe-ensemble; this binary must not touch it.
    case newerSchema(path: String, latestKnown: String)
    /// The schema is older than this binary's and it was opened read-only, so it cannot migrate.
    case olderSchema(path: String)

    package var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            "Cannot open the database at \(path): \(reason)."
        case .database(let message):
            "The database failed: \(message)."
        case .corruptRow(let table, let reason):
            "A row of table '\(table)' cannot be read: \(reason)."
        case .databaseInUse(let path, let holder):
            "The database at \(path) is in use by \(holder); only one server may run on a database: stop that one "
                + "first, or give this one another --database-path or --data-dir."
        case .newerSchema(let path, let latest):
            "The database at \(path) was written by a newer vibe-ensemble (this one knows schema up to \(latest)): "
                + "upgrade vibe-ensemble, or point it at another database."
        case .olderSchema(let path):
            "The database at \(path) has an older schema: start 'vibe-ensemble serve' once to upgrade it."
        }
    }
}
