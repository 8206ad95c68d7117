import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Keeps what the server writes readable by its own user only: tickets, reports, prompts and
/// worker logs are nobody else's business on a shared machine.
enum PrivateFiles {
    /// Sets the process umask to 077, so every file and directory created from now on (the
    /// database, its journal, logs) is private; then creates `dataDirectory` 0700 or tightens it.
    /// - Returns: One line per permission that had to be tightened, for the log.
    static func secure(dataDirectory: String, databasePath: String?) -> [String] {
        umask(0o077)
        var tightened = createDirectory(dataDirectory) ? [dataDirectory] : []
        for suffix in ["", "-wal", "-shm", ".lock"] {
            if let databasePath, restrict(databasePath + suffix, to: 0o600) { tightened.append(databasePath + suffix) }
        }
        return tightened
    }

    /// Creates `directory` 0700, or tightens it to 0700, without touching the umask (for commands
    /// that also write the user's own files, such as `setup-claude-code`).
    /// - Returns: Whether an existing directory had to be tightened.
    @discardableResult
    static func createDirectory(_ directory: String) -> Bool {
        try? FileManager.default.createDirectory(
            atPath: directory,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
        return restrict(directory, to: 0o700)
    }

    /// Removes group and other permissions from `path` when this user owns it.
    /// - Returns: Whether anything changed.
    @discardableResult
    static func restrict(_ path: String, to mode: mode_t) -> Bool {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            (attributes[.ownerAccountID] as? NSNumber)?.uint32Value == getuid(),
            let permissions = (attributes[.posixPermissions] as? NSNumber)?.uint16Value, permissions & 0o077 != 0
        else { return false }
        return chmod(path, mode) == 0
    }
}
