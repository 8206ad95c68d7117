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
        try? FileManager.default.createDirectory(
            atPath: dataDirectory,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
        var tightened: [String] = []
        if restrict(dataDirectory, to: 0o700) { tightened.append(dataDirectory) }
        for suffix in ["", "-wal", "-shm", ".lock"] {
            if let databasePath, restrict(databasePath + suffix, to: 0o600) { tightened.append(databasePath + suffix) }
        }
        return tightened
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
