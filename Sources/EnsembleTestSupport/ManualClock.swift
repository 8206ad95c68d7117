package import EnsembleCore
package import Foundation
import Synchronization

/// A clock that moves only when a test advances it: leases expire, backoffs end and watchdogs
/// fire on `advance(by:)`, never by waiting.
///
/// Thread safety: a `Mutex` guards the time and the sleepers.
package final class ManualClock: EnsembleClock {
    private struct State {
        var offset: Duration = .zero
        var nextSleeper = 0
        var sleepers: [Int: Sleeper] = [:]
        var watchers: [(duration: Duration, continuation: CheckedContinuation<Void, Never>)] = []

        /// Takes the watchers for which a sleeper of their duration now sleeps.
        mutating func satisfiedWatchers() -> [CheckedContinuation<Void, Never>] {
            let asleep = Set(sleepers.values.map(\.duration))
            let due = watchers.filter { asleep.contains($0.duration) }
            watchers.removeAll { asleep.contains($0.duration) }
            return due.map(\.continuation)
        }
    }

    private struct Sleeper {
        var deadline: Duration
        var duration: Duration
        var continuation: CheckedContinuation<Void, any Error>
    }

    private let start: Date
    private let state = Mutex(State())

    /// Creates a clock reading `start`.
    package init(start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        self.start = start
    }

    package var now: Date {
        let offset = state.withLock { $0.offset }
        return start.addingTimeInterval(offset.seconds)
    }

    package var uptime: Duration { state.withLock { $0.offset } }

    /// How many tasks are asleep on this clock.
    package var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// Returns once a task sleeps on this clock for `duration` (a grace period, a watchdog's
    /// check), so a test advances time only when what it waits for is waiting too.
    package func sleeping(for duration: Duration) async {
        await withCheckedContinuation { continuation in
            let isDue = state.withLock { state in
                guard !state.sleepers.values.contains(where: { $0.duration == duration }) else { return true }
                state.watchers.append((duration, continuation))
                return false
            }
            if isDue { continuation.resume() }
        }
    }

    /// Moves time forward by `duration`, waking every sleeper whose time has come.
    package func advance(by duration: Duration) {
        let woken = state.withLock { state in
            state.offset += duration
            let due = state.sleepers.filter { $0.value.deadline <= state.offset }
            for id in due.keys { state.sleepers.removeValue(forKey: id) }
            return due.values.map(\.continuation)
        }
        for continuation in woken { continuation.resume() }
    }

    package func sleep(for duration: Duration) async throws {
        let id = state.withLock { state in
            defer { state.nextSleeper += 1 }
            return state.nextSleeper
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let (resumeNow, watchers): ((any Error)??, [CheckedContinuation<Void, Never>]) = state.withLock {
                    state in
                    if Task.isCancelled { return (.some(CancellationError()), []) }
                    let deadline = state.offset + duration
                    if deadline <= state.offset { return (.some(nil), []) }
                    state.sleepers[id] = Sleeper(deadline: deadline, duration: duration, continuation: continuation)
                    return (.none, state.satisfiedWatchers())
                }
                switch resumeNow {
                case .some(let error?): continuation.resume(throwing: error)
                case .some(nil): continuation.resume()
                case .none: break
                }
                for watcher in watchers { watcher.resume() }
            }
        } onCancel: {
            state.withLock { $0.sleepers.removeValue(forKey: id) }?.continuation.resume(throwing: CancellationError())
        }
    }
}
