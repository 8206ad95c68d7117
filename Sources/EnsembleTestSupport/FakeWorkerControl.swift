package import EnsembleCore
import Synchronization

/// A `WorkerControl` that starts no processes: it counts requests, for tests of tools and routing.
package final class FakeWorkerControl: WorkerControl {
    private let counts = Mutex((launches: 0, stops: [WorkerID]()))

    package init() {}

    /// How often `launchPending()` was called.
    package var launchRequests: Int { counts.withLock { $0.launches } }

    /// The workers `stop(_:)` was called for.
    package var stopped: [WorkerID] { counts.withLock { $0.stops } }

    package func launchPending() async {
        counts.withLock { $0.launches += 1 }
    }

    package func stop(_ id: WorkerID) async throws {
        counts.withLock { $0.stops.append(id) }
    }

    package func isRunning(_ id: WorkerID) async -> Bool { false }
}
