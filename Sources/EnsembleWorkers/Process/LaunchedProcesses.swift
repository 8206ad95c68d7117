import Synchronization

/// The worker processes swift-subprocess is waiting for, so the `OrphanReaper` never reaps one of
/// them (that would steal its exit status): their pids, and how many launches have not yet
/// reported theirs.
package final class LaunchedProcesses: Sendable {
    private struct State {
        var pids: Set<Int32> = []
        var launching = 0
    }

    private let state = Mutex(State())

    package init() {}

    /// A launch is starting; its pid is not known yet.
    func launchBegan() {
        state.withLock { $0.launching += 1 }
    }

    /// The launch that began has a process, `pid`, or failed (`nil`).
    func launchEnded(pid: Int32?) {
        state.withLock { state in
            state.launching -= 1
            if let pid { state.pids.insert(pid) }
        }
    }

    /// The process `pid` was waited for by its launcher.
    func exited(_ pid: Int32) {
        state.withLock { _ = $0.pids.remove(pid) }
    }

    /// The zombies in `candidates` that nobody else waits for, or none while a launch is under way
    /// (its pid could be among them).
    func orphans(among candidates: [Int32]) -> [Int32] {
        state.withLock { state in state.launching > 0 ? [] : candidates.filter { !state.pids.contains($0) } }
    }
}
