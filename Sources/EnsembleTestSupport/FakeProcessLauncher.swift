package import EnsembleCore
import Foundation
import Synchronization

/// A `ProcessLauncher` that runs no process: each run plays the next scripted behaviour, and
/// signals sent to its pretend process groups end runs as real signals would.
package final class FakeProcessLauncher: ProcessLauncher {
    /// What one run does.
    package enum Behaviour: Sendable {
        /// Prints `lines`, then exits with `code`.
        case exit(code: Int32, lines: [String] = [])
        /// Prints `lines`, then runs until a signal ends it (SIGTERM too, unless it ignores it).
        case runUntilSignalled(lines: [String] = [], ignoresTerm: Bool = false)
        /// Cannot start.
        case failToLaunch(String)
        /// Runs `work` as the process would (e.g. calling the store as a worker's tools do), then
        /// exits with the code it returns.
        case work(@Sendable (WorkerCommand) async -> Int32)
    }

    private struct State {
        var script: [Behaviour]
        var commands: [WorkerCommand] = []
        var signals: [Int32] = []
        var waiting: [Int32: CheckedContinuation<Int32, Never>] = [:]
        var pending: [Int32: [Int32]] = [:]
    }

    private let state: Mutex<State>

    /// Creates a launcher playing `script` in order; the last behaviour repeats.
    package init(_ script: [Behaviour]) {
        state = Mutex(State(script: script))
    }

    /// The commands run so far.
    package var commands: [WorkerCommand] { state.withLock { $0.commands } }

    /// The signals sent to process groups so far, in order.
    package var signals: [Int32] { state.withLock { $0.signals } }

    package func run(
        _ command: WorkerCommand,
        onStart: @escaping @Sendable (Int32) async -> Void,
        onOutput: @escaping @Sendable (OutputLine) async -> Void
    ) async throws -> WorkerExit.Termination {
        let (behaviour, pid) = state.withLock { state in
            state.commands.append(command)
            let behaviour = state.script.count > 1 ? state.script.removeFirst() : state.script[0]
            // Pretend pids are negative so no signal could ever reach a real process.
            return (behaviour, -Int32(state.commands.count))
        }
        switch behaviour {
        case .failToLaunch(let reason):
            return .launchFailed(reason)
        case .exit(let code, let lines):
            await onStart(pid)
            for line in lines { await onOutput(.standardOutput(line)) }
            return .exited(code: code)
        case .work(let work):
            await onStart(pid)
            return .exited(code: await work(command))
        case .runUntilSignalled(let lines, let ignoresTerm):
            await onStart(pid)
            for line in lines { await onOutput(.standardOutput(line)) }
            while true {
                let signal = await nextSignal(for: pid)
                if signal < 0 { throw CancellationError() }
                if signal == SIGTERM, ignoresTerm { continue }
                return .signaled(signal)
            }
        }
    }

    package func signalGroup(of pid: Int32, with signal: Int32) {
        let waiter = state.withLock { state -> CheckedContinuation<Int32, Never>? in
            state.signals.append(signal)
            guard let waiter = state.waiting.removeValue(forKey: pid) else {
                state.pending[pid, default: []].append(signal)
                return nil
            }
            return waiter
        }
        waiter?.resume(returning: signal)
    }

    /// The next signal for `pid`, or -1 once the run is cancelled.
    private func nextSignal(for pid: Int32) async -> Int32 {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> Int32? in
                    if Task.isCancelled { return -1 }
                    if var queued = state.pending[pid], !queued.isEmpty {
                        let signal = queued.removeFirst()
                        state.pending[pid] = queued
                        return signal
                    }
                    state.waiting[pid] = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            state.withLock { $0.waiting.removeValue(forKey: pid) }?.resume(returning: -1)
        }
    }
}
