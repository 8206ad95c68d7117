import Foundation
import Subprocess
import SystemPackage

/// What a short-lived command printed and how it ended.
package struct CommandResult: Sendable {
    /// The exit code; `nil` when a signal (or the timeout) ended it.
    package var status: Int32?
    package var output: String
    package var error: String
    package var timedOut: Bool

    package var succeeded: Bool { status == 0 }

    /// The last `lines` lines of its output and error, for an event or a comment.
    package func tail(_ lines: Int = 20) -> String {
        let text = [output, error].filter { !$0.isEmpty }.joined(separator: "\n")
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }
}

/// Runs short-lived commands (git, a project's setup and merge check) in their own process group,
/// with a deadline, and tells the `OrphanReaper` about them so it never steals their exit status.
///
/// Output goes to temporary files, never to a buffer with a limit: a command is judged by its
/// exit status however much it prints.
package struct CommandRunner: Sendable {
    /// How much of a shell command's output `runShell` keeps: the end of it.
    static let shellTailBytes = 65_536

    package let launched: LaunchedProcesses

    package init(launched: LaunchedProcesses = LaunchedProcesses()) {
        self.launched = launched
    }

    /// Runs a project's shell `command` (`sh -c`) in `directory`, such as its setup or merge check.
    ///
    /// Its standard output and error, interleaved, go to one file, and the result keeps the last
    /// 64 KiB of it as `output`.
    package func runShell(
        _ command: String,
        in directory: String,
        environment: [String: String] = [:],
        timeout: Duration
    ) async -> CommandResult {
        let log = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: log) }
        var result = await execute(
            "/bin/sh",
            ["-c", command],
            in: directory,
            environment: environment,
            timeout: timeout,
            output: log,
            error: log
        )
        result.output = Self.contents(of: log, lastBytes: Self.shellTailBytes)
        return result
    }

    /// Runs `executable` with `arguments` in `directory`; its output and error are read back whole.
    /// - Parameters:
    ///   - executable: A path, or a name looked up in `PATH`.
    ///   - arguments: Its arguments.
    ///   - directory: Its working directory.
    ///   - environment: Variables added to the server's environment.
    ///   - timeout: After it, the command's process group is ended and `timedOut` is set.
    /// - Returns: How it ended; a command that cannot start at all ends with status 127.
    package func run(
        _ executable: String,
        _ arguments: [String],
        in directory: String,
        environment: [String: String] = [:],
        timeout: Duration = .seconds(600)
    ) async -> CommandResult {
        let (output, error) = (Self.temporaryPath(), Self.temporaryPath())
        defer {
            try? FileManager.default.removeItem(atPath: output)
            try? FileManager.default.removeItem(atPath: error)
        }
        var result = await execute(
            executable,
            arguments,
            in: directory,
            environment: environment,
            timeout: timeout,
            output: output,
            error: error
        )
        result.output = Self.contents(of: output)
        result.error = [Self.contents(of: error), result.error].filter { !$0.isEmpty }.joined(separator: "\n")
        return result
    }

    /// Runs the command with its standard output and error appended to the files at `output` and
    /// `error` (which may be one file); `error` of the result says only why it did not finish.
    private func execute(
        _ executable: String,
        _ arguments: [String],
        in directory: String,
        environment: [String: String],
        timeout: Duration,
        output: String,
        error: String
    ) async -> CommandResult {
        launched.launchBegan()
        defer { launched.launchEnded(pid: nil) }
        do {
            return try await withThrowingTaskGroup(of: CommandResult?.self) { group in
                group.addTask {
                    var options = PlatformOptions()
                    options.createSession = true
                    options.teardownSequence = [
                        .gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: .seconds(2))
                    ]
                    let overrides = Dictionary(
                        uniqueKeysWithValues: environment.map {
                            (Environment.Key(stringLiteral: $0.key), Optional($0.value))
                        }
                    )
                    let result = try await Subprocess.run(
                        executable.contains("/") ? .path(FilePath(executable)) : .name(executable),
                        arguments: Arguments(arguments),
                        environment: .inherit.updating(overrides),
                        workingDirectory: FilePath(directory),
                        platformOptions: options,
                        input: .none,
                        output: .fileDescriptor(try Self.appending(to: output), closeAfterSpawningProcess: true),
                        error: .fileDescriptor(try Self.appending(to: error), closeAfterSpawningProcess: true)
                    )
                    return CommandResult(status: result.terminationStatus.code, output: "", error: "", timedOut: false)
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                let first = try await group.next() ?? nil
                group.cancelAll()
                return first
                    ?? CommandResult(
                        status: nil,
                        output: "",
                        error: "timed out after \(timeout.components.seconds) s",
                        timedOut: true
                    )
            }
        } catch {
            return CommandResult(
                status: 127,
                output: "",
                error: "\(executable) could not run: \(error)",
                timedOut: false
            )
        }
    }

    private static func temporaryPath() -> String {
        (NSTemporaryDirectory() as NSString).appendingPathComponent("vibe-ensemble-\(UUID().uuidString.prefix(12)).out")
    }

    /// A descriptor appending to the file at `path`, made private to this user when missing.
    private static func appending(to path: String) throws -> FileDescriptor {
        try FileDescriptor.open(
            FilePath(path),
            .writeOnly,
            options: [.create, .append],
            permissions: [.ownerReadWrite]
        )
    }

    /// What the file at `path` holds (its last `lastBytes` when given), as UTF-8 text.
    private static func contents(of path: String, lastBytes: Int? = nil) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        if let lastBytes, let size = try? handle.seekToEnd(), size > UInt64(lastBytes) {
            try? handle.seek(toOffset: size - UInt64(lastBytes))
        } else {
            try? handle.seek(toOffset: 0)
        }
        return String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
    }
}

extension TerminationStatus {
    /// The exit code; `nil` when a signal ended the process.
    fileprivate var code: Int32? {
        switch self {
        case .exited(let code): code
        case .signaled: nil
        }
    }
}
