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
        }
    }
}
