package import EnsembleCore
import Synchronization

/// A `ProcessLauncher` that runs no process: each run plays the next scripted behaviour.
package final class FakeProcessLauncher: ProcessLauncher {
    /// What one run does.
    package enum Behaviour: Sendable {
        /// Prints `lines`, then exits with `code`.
        case exit(code: Int32, lines: [String] = [])
        /// Prints `lines`, then runs until the supervisor cancels it (stop or watchdog).
        case runUntilStopped(lines: [String] = [])
        /// Cannot start.
        case failToLaunch(String)
    }

    private struct State {
        var script: [Behaviour]
        var commands: [WorkerCommand] = []
        var cancelled = 0
    }

    private let state: Mutex<State>

    /// Creates a launcher playing `script` in order; the last behaviour repeats.
    package init(_ script: [Behaviour]) {
        state = Mutex(State(script: script))
    }

    /// The commands run so far.
    package var commands: [WorkerCommand] { state.withLock { $0.commands } }

    /// How many runs were stopped by cancellation.
    package var cancelledRuns: Int { state.withLock { $0.cancelled } }

    package func run(
        _ command: WorkerCommand,
        onStart: @escaping @Sendable (Int32) async -> Void,
        onOutput: @escaping @Sendable (OutputLine) async -> Void
    ) async throws -> WorkerExit.Termination {
        let (behaviour, number) = state.withLock { state in
            state.commands.append(command)
            let behaviour = state.script.count > 1 ? state.script.removeFirst() : state.script[0]
            return (behaviour, Int32(state.commands.count))
        }
        switch behaviour {
        case .failToLaunch(let reason):
            return .launchFailed(reason)
        case .exit(let code, let lines):
            await onStart(900_000 + number)
            for line in lines { await onOutput(.standardOutput(line)) }
            return .exited(code: code)
        case .runUntilStopped(let lines):
            await onStart(900_000 + number)
            for line in lines { await onOutput(.standardOutput(line)) }
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(60))
            }
            state.withLock { $0.cancelled += 1 }
            throw CancellationError()
        }
    }
}
