package import Foundation

/// Where the ensemble reads time: wall-clock dates for records and leases, a monotonic reading
/// for measuring silences and idleness, and sleeping for timers.
///
/// Everything that waits or expires takes a clock instead of asking the system, so tests advance
/// a manual clock instead of sleeping (as Hummingbird's `MemoryPersistDriver<C: Clock>` does).
package protocol EnsembleClock: Sendable {
    /// The wall-clock time now, written into records and leases.
    var now: Date { get }
    /// A monotonic reading that never jumps, for measuring elapsed time.
    var uptime: Duration { get }
    /// Suspends for `duration` of this clock's time.
    /// - Throws: `CancellationError` when the calling task is cancelled.
    func sleep(for duration: Duration) async throws
}

/// The system's clock: `Date()` and the continuous clock.
package struct SystemClock: EnsembleClock {
    private static let origin = ContinuousClock.now

    package init() {}

    package var now: Date { Date() }

    package var uptime: Duration { Self.origin.duration(to: .now) }

    package func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}
