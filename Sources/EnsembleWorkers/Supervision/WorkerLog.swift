import Foundation
import Synchronization

/// A worker's log files: its stream-json output (`<id>.jsonl`) and its standard error
/// (`<id>.stderr.log`), appended to across runs and rotated at `maximumBytes`.
///
/// A file that reaches the cap is renamed to `<name>.1` (replacing the previous one) and started
/// afresh, so a worker's logs never take more than twice the cap per stream, however long it runs.
/// Files are created 0600: they hold everything the worker read.
final class WorkerLog: Sendable {
    /// The cap per file when none is given: 8 MiB.
    static let defaultMaximumBytes = 8 << 20

    let outputPath: String
    private let output: RotatingFile
    private let errors: RotatingFile

    /// Opens (creating) the log files of `worker` in `directory`.
    init(directory: String, worker: String, maximumBytes: Int = defaultMaximumBytes) {
        try? FileManager.default.createDirectory(
            atPath: directory,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
        outputPath = (directory as NSString).appendingPathComponent("\(worker).jsonl")
        output = RotatingFile(path: outputPath, maximumBytes: maximumBytes)
        errors = RotatingFile(
            path: (directory as NSString).appendingPathComponent("\(worker).stderr.log"),
            maximumBytes: maximumBytes
        )
    }

    /// Appends one line of standard output.
    func writeOutput(_ line: String) {
        output.append(line)
    }

    /// Appends one line of standard error.
    func writeError(_ line: String) {
        errors.append(line)
    }

    /// Closes both files.
    func close() {
        output.close()
        errors.close()
    }

    /// Deletes the log files in `directory` last written before `cutoff`.
    /// - Returns: How many files were deleted.
    static func prune(directory: String, before cutoff: Date) -> Int {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: directory) else { return 0 }
        var deleted = 0
        for name in names where name.hasSuffix(".jsonl") || name.hasSuffix(".log") || name.hasSuffix(".1") {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let modified = (try? manager.attributesOfItem(atPath: path))?[.modificationDate] as? Date,
                modified < cutoff, (try? manager.removeItem(atPath: path)) != nil
            else { continue }
            deleted += 1
        }
        return deleted
    }
}

/// An append-only file renamed to `<path>.1` once it reaches its cap.
private final class RotatingFile: Sendable {
    private struct State {
        var handle: FileHandle?
        var size: Int
    }

    let path: String
    let maximumBytes: Int
    private let state: Mutex<State>

    init(path: String, maximumBytes: Int) {
        self.path = path
        self.maximumBytes = maximumBytes
        let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
        state = Mutex(State(handle: nil, size: size))
        state.withLock { state in
            if state.size >= maximumBytes {
                Self.rotate(path)
                state.size = 0
            }
            state.handle = Self.openForAppending(path)
        }
    }

    func append(_ line: String) {
        let data = Data((line + "\n").utf8)
        state.withLock { state in
            if state.size > 0, state.size + data.count > maximumBytes {
                try? state.handle?.close()
                Self.rotate(path)
                state.handle = Self.openForAppending(path)
                state.size = 0
            }
            try? state.handle?.write(contentsOf: data)
            state.size += data.count
        }
    }

    func close() {
        state.withLock { state in
            try? state.handle?.close()
            state.handle = nil
        }
    }

    private static func rotate(_ path: String) {
        let rotated = path + ".1"
        try? FileManager.default.removeItem(atPath: rotated)
        try? FileManager.default.moveItem(atPath: path, toPath: rotated)
    }

    private static func openForAppending(_ path: String) -> FileHandle? {
        if !FileManager.default.fileExists(atPath: path) {
            FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { return nil }
        _ = try? handle.seekToEnd()
        return handle
    }
}
