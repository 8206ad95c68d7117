import Foundation

/// A worker's log files: its stream-json output (`<id>.jsonl`) and its standard error
/// (`<id>.stderr.log`), appended to across runs.
final class WorkerLog: Sendable {
    let outputPath: String
    private let output: FileHandle?
    private let errors: FileHandle?

    /// Opens (creating) the log files of `worker` in `directory`.
    init(directory: String, worker: String) {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        outputPath = (directory as NSString).appendingPathComponent("\(worker).jsonl")
        output = Self.openForAppending(outputPath)
        errors = Self.openForAppending((directory as NSString).appendingPathComponent("\(worker).stderr.log"))
    }

    /// Appends one line of standard output.
    func writeOutput(_ line: String) {
        try? output?.write(contentsOf: Data((line + "\n").utf8))
    }

    /// Appends one line of standard error.
    func writeError(_ line: String) {
        try? errors?.write(contentsOf: Data((line + "\n").utf8))
    }

    /// Closes both files.
    func close() {
        try? output?.close()
        try? errors?.close()
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
