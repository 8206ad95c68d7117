package import EnsembleCore
import Foundation
import Subprocess
import Synchronization
import SystemPackage

/// Runs worker processes with swift-subprocess, each in its own session and process group.
///
/// The process lives inside `run`'s scope, so it can never outlive the task supervising it:
/// cancelling that task runs the stop ladder (SIGTERM to the group, `stopGrace`, SIGKILL to the
/// group), which also ends grandchildren such as a backgrounded `sleep`.
package struct SubprocessLauncher: ProcessLauncher {
    /// How long a process gets between SIGTERM and SIGKILL.
    package var stopGrace: Duration
    /// The processes this launcher waits for, kept from the `OrphanReaper`.
    package let launched: LaunchedProcesses

    package init(stopGrace: Duration, launched: LaunchedProcesses = LaunchedProcesses()) {
        self.stopGrace = stopGrace
        self.launched = launched
    }

    package func run(
        _ command: WorkerCommand,
        onStart: @escaping @Sendable (Int32) async -> Void,
        onOutput: @escaping @Sendable (OutputLine) async -> Void
    ) async throws -> WorkerExit.Termination {
        var options = PlatformOptions()
        options.createSession = true
        options.teardownSequence = [.gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: stopGrace)]
        let executable: Executable =
            command.executable.contains("/") ? .path(FilePath(command.executable)) : .name(command.executable)
        let environment = Environment.custom(
            Dictionary(
                uniqueKeysWithValues: command.environment.map { (Environment.Key(stringLiteral: $0.key), $0.value) }
            )
        )
        launched.launchBegan()
        let started = Mutex<Int32?>(nil)
        defer {
            if let pid = started.withLock({ $0 }) {
                launched.exited(pid)
            } else {
                launched.launchEnded(pid: nil)
            }
        }
        do {
            let result = try await Subprocess.run(
                executable,
                arguments: Arguments(command.arguments),
                environment: environment,
                workingDirectory: FilePath(command.workingDirectory),
                platformOptions: options,
                input: .none,
                output: .sequence,
                error: .sequence
            ) { execution in
                let pid = execution.processIdentifier.value
                started.withLock { $0 = pid }
                launched.launchEnded(pid: pid)
                await onStart(pid)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        try await Self.forEachLine(of: execution.standardOutput) { await onOutput(.standardOutput($0)) }
                    }
                    group.addTask {
                        try await Self.forEachLine(of: execution.standardError) { await onOutput(.standardError($0)) }
                    }
                    try await group.waitForAll()
                }
            }
            switch result.terminationStatus {
            case .exited(let code): return .exited(code: code)
            case .signaled(let signal): return .signaled(signal)
            }
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as SubprocessError {
            if Task.isCancelled { throw CancellationError() }
            return .launchFailed("\(error)")
        }
    }

    package func signalGroup(of pid: Int32, with signal: Int32) {
        // The group id is the leader's pid (each worker starts its own session); a group that is
        // already gone answers ESRCH, which is fine.
        guard pid > 1 else { return }
        kill(-pid, signal)
    }

    /// Calls `body` with each line of `output`, as the chunks arrive.
    private static func forEachLine(
        of output: SubprocessOutputSequence,
        _ body: (String) async -> Void
    ) async throws {
        var splitter = LineSplitter()
        for try await chunk in output {
            for line in chunk.withUnsafeBytes({ splitter.lines(in: $0) }) {
                await body(line)
            }
        }
        if let last = splitter.finish() { await body(last) }
    }
}
