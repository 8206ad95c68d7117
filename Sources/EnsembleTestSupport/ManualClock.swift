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
        var sleepers: [Int: (deadline: Duration, continuation: CheckedContinuation<Void, any Error>)] = [:]
    }

    private let start: Date
    private let state = Mutex(State())

    /// Creates a clock reading `start`.
    package init(start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        self.start = start
    }

    package var now: Date {
        let offset = state.withLock { $0.offset }
        return start.addingTimeInterval(
            Double(offset.components.seconds) + Double(offset.components.attoseconds) * 1e-18
        )
    }

    package var uptime: Duration { state.withLock { $0.offset } }

    /// How many tasks are asleep on this clock.
    package var sleeperCount: Int { state.withLock { $0.sleepers.count } }

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
                let resumeNow: (any Error)?? = state.withLock { state in
                    if Task.isCancelled { return .some(CancellationError()) }
                    let deadline = state.offset + duration
                    if deadline <= state.offset { return .some(nil) }
                    state.sleepers[id] = (deadline, continuation)
                    return .none
                }
                switch resumeNow {
                case .some(let error?): continuation.resume(throwing: error)
                case .some(nil): continuation.resume()
                case .none: break
                }
            }
        } onCancel: {
            state.withLock { $0.sleepers.removeValue(forKey: id) }?.continuation.resume(throwing: CancellationError())
        }
    }
}
