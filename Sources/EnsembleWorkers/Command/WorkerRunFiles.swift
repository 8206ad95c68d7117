package import EnsembleCore
import Foundation

/// The private files one worker run reads: its MCP headers (with its bearer token) and its
/// system prompt, in `<data dir>/runs/<worker id>/` (0700, files 0600), removed when the run ends.
///
/// The token reaches Claude Code through a `headersHelper` that reads the headers file, so it is
/// neither in argv (`ps`) nor in the environment every tool subprocess inherits. The prompt goes
/// through `--append-system-prompt-file`, so its size never meets the argv limit (E2BIG).
/// Files are not a wall against a hostile worker: it runs as the same user (see the README).
package struct WorkerRunFiles: Sendable, Equatable {
    /// The run's directory.
    package let directory: String

    /// The JSON headers file the MCP config's `headersHelper` prints.
    package var headersPath: String { (directory as NSString).appendingPathComponent("headers.json") }
    /// The system prompt file passed with `--append-system-prompt-file`.
    package var systemPromptPath: String { (directory as NSString).appendingPathComponent("system-prompt.md") }

    /// The files of `worker` under `runsDirectory`, not yet written.
    package init(runsDirectory: String, worker: WorkerID) {
        directory = (runsDirectory as NSString).appendingPathComponent(worker.rawValue)
    }

    /// Writes both files, replacing what an earlier run left.
    /// - Throws: When the directory or a file cannot be written.
    package func write(token: String, systemPrompt: String) throws {
        let manager = FileManager.default
        try manager.createDirectory(
            atPath: directory,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
        let headers = try JSONSerialization.data(withJSONObject: ["Authorization": "Bearer \(token)"])
        try Self.writePrivately(headers, to: headersPath)
        try Self.writePrivately(Data(systemPrompt.utf8), to: systemPromptPath)
    }

    /// Removes the run's directory; a missing one is fine.
    package func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Removes what runs of an earlier server left (their tokens died with it).
    package static func removeAll(in runsDirectory: String) {
        try? FileManager.default.removeItem(atPath: runsDirectory)
    }

    private static func writePrivately(_ data: Data, to path: String) throws {
        try? FileManager.default.removeItem(atPath: path)
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600])
        else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }
}
