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
package struct CommandRunner: Sendable {
    /// The most output kept per stream.
    package static let outputLimit = 4 << 20

    package let launched: LaunchedProcesses

    package init(launched: LaunchedProcesses = LaunchedProcesses()) {
        self.launched = launched
    }

    /// Runs a project's shell `command` (`sh -c`) in `directory`, such as its setup or merge check.
    ///
    /// Its output (standard output and error, interleaved) goes to a temporary file, however
    /// long, and the result keeps the last 64 KiB of it: a verbose test suite is judged by its
    /// exit status, not cut off by an output limit.
    package func runShell(
        _ command: String,
        in directory: String,
        environment: [String: String] = [:],
        timeout: Duration
    ) async -> CommandResult {
        let path = (NSTemporaryDirectory() as NSString)
            .appendingPathComponent("vibe-ensemble-\(UUID().uuidString.prefix(12)).log")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = await run(
            "/bin/sh",
            ["-c", command],
            in: directory,
            environment: environment,
            timeout: timeout,
            outputFile: path
        )
        var tail = ""
        if let handle = FileHandle(forReadingAtPath: path) {
            let size = (try? handle.seekToEnd()) ?? 0
            try? handle.seek(toOffset: size > 65_536 ? size - 65_536 : 0)
            tail = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
            try? handle.close()
        }
        return CommandResult(status: result.status, output: tail, error: result.error, timedOut: result.timedOut)
    }

    /// Runs `executable` with `arguments` in `directory`.
    /// - Parameters:
    ///   - executable: A path, or a name looked up in `PATH`.
    ///   - arguments: Its arguments.
    ///   - directory: Its working directory.
    ///   - environment: Variables added to the server's environment.
    ///   - timeout: After it, the command's process group is ended and `timedOut` is set.
    ///   - outputFile: Where its standard output and error go (appended); by default both are
    ///     collected, up to `outputLimit` each.
    /// - Returns: How it ended; a command that cannot start at all ends with status 127.
    package func run(
        _ executable: String,
        _ arguments: [String],
        in directory: String,
        environment: [String: String] = [:],
        timeout: Duration = .seconds(600),
        outputFile: String? = nil
    ) async -> CommandResult {
        launched.launchBegan()
        var reported = false
        defer { if !reported { launched.launchEnded(pid: nil) } }
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
                    let name: Executable =
                        executable.contains("/") ? .path(FilePath(executable)) : .name(executable)
                    if let outputFile {
                        let flags: FileDescriptor.OpenOptions = [.create, .append]
                        let output = try FileDescriptor.open(
                            FilePath(outputFile),
                            .writeOnly,
                            options: flags,
                            permissions: [.ownerReadWrite]
                        )
                        // The file exists now: the second descriptor only appends to it.
                        let error = try FileDescriptor.open(FilePath(outputFile), .writeOnly, options: [.append])
                        let result = try await Subprocess.run(
                            name,
                            arguments: Arguments(arguments),
                            environment: .inherit.updating(overrides),
                            workingDirectory: FilePath(directory),
                            platformOptions: options,
                            input: .none,
                            output: .fileDescriptor(output, closeAfterSpawningProcess: true),
                            error: .fileDescriptor(error, closeAfterSpawningProcess: true)
                        )
                        return CommandResult(
                            status: result.terminationStatus.code,
                            output: "",
                            error: "",
                            timedOut: false
                        )
                    }
                    let result = try await Subprocess.run(
                        name,
                        arguments: Arguments(arguments),
                        environment: .inherit.updating(overrides),
                        workingDirectory: FilePath(directory),
                        platformOptions: options,
                        input: .none,
                        output: .string(limit: Self.outputLimit),
                        error: .string(limit: Self.outputLimit)
                    )
                    return CommandResult(
                        status: result.terminationStatus.code,
                        output: result.standardOutput,
                        error: result.standardError,
                        timedOut: false
                    )
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                let first = try await group.next() ?? nil
                group.cancelAll()
                launched.launchEnded(pid: nil)
                reported = true
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
