import GRDB

extension StoreError {
    /// Wraps an error from GRDB, keeping SQLite's message.
    init(_ error: any Error) {
        if let error = error as? StoreError {
            self = error
        } else if let error = error as? DatabaseError {
            self = .database(error.message ?? "SQLite error \(error.resultCode.rawValue)")
        } else {
            self = .database(String(describing: error))
        }
    }
}
