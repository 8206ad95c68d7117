import GRDB

// Every statement the store runs is prepared once per connection and reused (GRDB's statement
// cache), instead of being compiled anew per call: compiling ran SQLite's parser and GRDB's
// statement authorizer, which was a tenth of a `get_ticket`. The SQL passed here must be one
// statement whose text takes a bounded number of shapes (interpolate structure, never values).

extension Row {
    static func fetchAll(_ db: Database, cached sql: String, arguments: StatementArguments = []) throws -> [Row] {
        try fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
    }

    static func fetchOne(_ db: Database, cached sql: String, arguments: StatementArguments = []) throws -> Row? {
        try fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }
}

extension DatabaseValueConvertible where Self: StatementColumnConvertible {
    static func fetchOne(_ db: Database, cached sql: String, arguments: StatementArguments = []) throws -> Self? {
        try fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }

    static func fetchAll(_ db: Database, cached sql: String, arguments: StatementArguments = []) throws -> [Self] {
        try fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
    }
}

extension Database {
    func execute(cached sql: String, arguments: StatementArguments = []) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }

    /// Runs `body` in a transaction of `kind` whose `BEGIN`, `COMMIT` and `ROLLBACK` are prepared
    /// once per connection (GRDB's `inTransaction` compiles them on every call): commits when it
    /// returns, rolls back when it throws.
    func inPreparedTransaction<T>(_ kind: TransactionKind, _ body: () throws -> T) throws -> T {
        try execute(cached: "BEGIN \(kind.rawValue) TRANSACTION")
        do {
            let result = try body()
            try execute(cached: "COMMIT TRANSACTION")
            return result
        } catch {
            if isInsideTransaction { try? execute(cached: "ROLLBACK TRANSACTION") }
            throw error
        }
    }
}

// Records are decoded while the statement steps, from the rows GRDB fetches, which find a
// column by name through a dictionary; the copies `fetchAll` returns lowercase every column
// name on every lookup, which made decoding most of the dispatch pass.
extension Row {
    static func fetchAll<T>(
        _ db: Database,
        cached sql: String,
        arguments: StatementArguments = [],
        as decode: (Row) throws -> T
    ) throws -> [T] {
        let rows = try fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
        var records: [T] = []
        try withExtendedLifetime(rows) {
            while let row = try rows.next() {
                records.append(try decode(row))
            }
        }
        return records
    }

    static func fetchOne<T>(
        _ db: Database,
        cached sql: String,
        arguments: StatementArguments = [],
        as decode: (Row) throws -> T
    ) throws -> T? {
        // The row is a view of the statement: decode it while its cursor is alive.
        let rows = try fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
        return try withExtendedLifetime(rows) {
            guard let row = try rows.next() else { return nil }
            return try decode(row)
        }
    }
}
