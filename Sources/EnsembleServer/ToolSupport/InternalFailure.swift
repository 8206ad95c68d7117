import Foundation

/// An unexpected failure (the disk, SQLite, a bug): logged in full, shown to callers only as a
/// sentence with a reference to find it in the log, since its text may reveal paths or SQL.
struct InternalFailure {
    /// A short reference printed both in the log line and in the caller's sentence.
    let id: String

    init() {
        id = String(UUID().uuidString.prefix(8)).lowercased()
    }

    /// What the caller of `operation` reads.
    func sentence(for operation: String) -> String {
        "\(operation) failed because of an internal error (incident \(id) in the server log). "
            + "Try again; if it persists, report the incident."
    }
}
