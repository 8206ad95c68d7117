import Synchronization

/// Wakes those waiting for new events (`wait_for_events`) whenever the store commits a change.
///
/// Waiters re-read the store after waking, so a ring is only a hint. A generation number closes
/// the gap between "read the store, found nothing" and "start waiting": a ring in between makes
/// the wait return at once.
///
/// Thread safety: a `Mutex` guards the generation and the waiters.
package final class EventBell: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var nextWaiter = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    package init() {}

    /// The current generation; pass it to `wait(after:timeout:)`.
    package var generation: UInt64 {
        state.withLock { $0.generation }
    }

    /// Wakes every waiter.
    package func ring() {
        let waiters = state.withLock { state in
            state.generation &+= 1
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the bell rings after `generation`, the timeout passes, or the task is cancelled.
    package func wait(after generation: UInt64, timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitForRing(after: generation) }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
    }

    /// Returns once the bell rings after `generation` or the task is cancelled; no timer is armed.
    package func wait(after generation: UInt64) async {
        await waitForRing(after: generation)
    }

    private func waitForRing(after generation: UInt64) async {
        let id = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state in
                    guard state.generation == generation, !Task.isCancelled else { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}
