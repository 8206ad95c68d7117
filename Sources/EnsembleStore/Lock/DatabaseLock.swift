package import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The claim of one server on one database: an exclusive `flock` on `<database>.lock`, held for
/// the life of the process and released by the kernel when it ends (also on `kill -9`).
///
/// Only one server may supervise the workers of a database: a second one would reconcile, and
/// so kill, the first one's live workers. The lock file names its holder, so a second server can
/// say which one to stop. Reading the database (`vibe-ensemble status`) needs no lock.
///
/// ```swift
/// let lock = try DatabaseLock.acquire(for: "/home/me/.vibe-ensemble/vibe-ensemble.db")
/// defer { withExtendedLifetime(lock) {} }
/// ```
package final class DatabaseLock: Sendable {
    /// The lock file's path.
    package let path: String
    private let descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// Takes the lock of the database at `databasePath`, creating its directory and lock file.
    /// - Parameters:
    ///   - databasePath: The database the lock is for; the lock file sits beside it.
    ///   - holder: What to record as the holder, e.g. the server's URL; the pid and start time are
    ///     always recorded.
    /// - Returns: The held lock; it is released when the value is gone.
    /// - Throws: `StoreError.databaseInUse` naming the holder when another process has it, or
    ///   `StoreError.cannotOpen` when the lock file cannot be created.
    package static func acquire(for databasePath: String, holder: String = "") throws(StoreError) -> DatabaseLock {
        let directory = (databasePath as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // One database, one lock file, however it is named: through symbolic links or `..`.
        let path = Self.canonical(databasePath) + ".lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw .cannotOpen(path: path, reason: "cannot create its lock file (\(String(cString: strerror(errno))))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = Self.read(descriptor)
            close(descriptor)
            throw .databaseInUse(path: databasePath, holder: holder.isEmpty ? "another process" : holder)
        }
        let lock = DatabaseLock(path: path, descriptor: descriptor)
        lock.describeHolder(holder)
        return lock
    }

    /// Replaces what the lock file says about its holder (once the server knows its URL).
    package func describeHolder(_ holder: String) {
        let record =
            "the vibe-ensemble server with pid \(getpid()) (started \(Self.timestamp())"
            + (holder.isEmpty ? ")" : ", \(holder))")
        // Written before truncating, so a second server reading meanwhile never sees it empty.
        let length = record.withCString { pwrite(descriptor, $0, strlen($0), 0) }
        if length >= 0 { _ = ftruncate(descriptor, off_t(length)) }
    }

    // MARK: - Private helpers

    private static func read(_ descriptor: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return "" }
        return String(decoding: buffer.prefix(count), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The path with every symbolic link resolved, the file itself included when it exists.
    private static func canonical(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else {
            let directory = (path as NSString).deletingLastPathComponent
            guard let parent = realpath(directory, nil) else { return path }
            defer { free(parent) }
            return (String(cString: parent) as NSString).appendingPathComponent((path as NSString).lastPathComponent)
        }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private static func timestamp() -> String {
        ISO8601DateFormatter().string(from: Date())
    }
}
