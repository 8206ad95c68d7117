package import EnsembleCore
package import EnsembleWorkers
import Foundation
import Logging

/// Builds supervisors over a store whose processes are played by a fake launcher, for tests.
package enum TestSupervisor {
    /// A supervisor of `store`'s workers run by `launcher`, timed by `clock`; no process is real,
    /// and its maintenance pass runs only when the clock is advanced by `rescueInterval`.
    package static func make(
        store: any WorkerStore & QueueStore,
        launcher: any ProcessLauncher,
        logDirectory: String,
        clock: any EnsembleClock = SystemClock(),
        lifecycle: WorkerLifecycle = WorkerLifecycle(maximumQuickFailures: 3, backoffBase: .zero),
        inactivity: Duration = .seconds(600),
        rescueInterval: Duration = .seconds(600)
    ) -> Supervisor {
        var logger = Logger(label: "test.supervisor")
        logger.logLevel = .error
        return Supervisor(
            store: store,
            credentials: WorkerCredentials(),
            launcher: launcher,
            configuration: SupervisorConfiguration(
                commandBuilder: WorkerCommandBuilder(
                    claudePath: "claude",
                    serverURL: { "http://127.0.0.1:1/mcp" },
                    baseEnvironment: [:],
                    isRoot: false
                ),
                logDirectory: logDirectory,
                runsDirectory: (logDirectory as NSString).appendingPathComponent("runs"),
                stopGrace: .seconds(5),
                rescueInterval: rescueInterval,
                lifecycle: lifecycle,
                inactivityTimeout: { _ in inactivity }
            ),
            clock: clock,
            logger: logger
        )
    }
}
