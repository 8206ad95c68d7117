package import EnsembleCore
import Foundation
package import Logging
package import ServiceLifecycle

/// A service that prunes what is older than the retention period.
///
/// That is events and ended tasks in the store, and worker log files not written to since. It
/// runs at start and then every `interval`.
package struct RetentionSweeper: Service {
    let store: any RetentionStore
    let logDirectory: String
    let retention: Duration
    let interval: Duration
    let clock: any EnsembleClock
    let logger: Logger

    package init(
        store: any RetentionStore,
        logDirectory: String,
        retention: Duration,
        interval: Duration = .seconds(3600),
        clock: any EnsembleClock = SystemClock(),
        logger: Logger
    ) {
        self.store = store
        self.logDirectory = logDirectory
        self.retention = retention
        self.interval = interval
        self.clock = clock
        self.logger = logger
    }

    package func run() async throws {
        await repeatUntilShutdown(every: interval, clock: clock) { await sweep() }
    }

    /// One pass; failures are logged, and the next pass tries again.
    package func sweep() async {
        let cutoff = clock.now.addingTimeInterval(-TimeInterval(retention.components.seconds))
        do {
            let pruned = try await store.prune(before: cutoff)
            let files = WorkerLog.prune(directory: logDirectory, before: cutoff)
            if !pruned.isEmpty || files > 0 {
                logger.info(
                    "Pruned history older than the retention period",
                    metadata: [
                        "retention.events": "\(pruned.events)", "retention.tasks": "\(pruned.tasks)",
                        "retention.log_files": "\(files)",
                    ]
                )
            }
        } catch is CancellationError {
            return
        } catch {
            logger.error("Cannot prune old history", metadata: [LogKey.error: "\(error)"])
        }
    }
}
