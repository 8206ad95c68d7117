import EnsembleCore
import Foundation
package import Logging
package import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// Reaps exited processes that were re-parented to the server, when the server is PID 1 (as in a
/// container without an init): a worker's orphaned grandchildren then become our children, and
/// without a `waitpid` each one stays a zombie for ever.
///
/// Only Linux needs it (launchd is PID 1 on macOS); elsewhere `run()` just waits for shutdown. The
/// worker processes swift-subprocess waits for are left to it (`LaunchedProcesses`).
package struct OrphanReaper: Service {
    let launched: LaunchedProcesses
    let interval: Duration
    let logger: Logger

    package init(launched: LaunchedProcesses, interval: Duration = .seconds(2), logger: Logger) {
        self.launched = launched
        self.interval = interval
        self.logger = logger
    }

    /// Whether this process is PID 1, so orphans are re-parented to it.
    package static var isNeeded: Bool {
        #if os(Linux)
        getpid() == 1
        #else
        false
        #endif
    }

    package func run() async throws {
        guard Self.isNeeded else {
            // A service that returns ends the whole group: stay until the server shuts down.
            try? await gracefulShutdown()
            return
        }
        logger.info("Running as PID 1: exited orphans are reaped")
        await repeatUntilShutdown(every: interval, clock: SystemClock()) { reap() }
    }

    /// Waits for every zombie child nobody else waits for.
    /// - Returns: How many were reaped.
    @discardableResult
    package func reap() -> Int {
        #if os(Linux)
        var reaped = 0
        for pid in launched.orphans(among: Self.zombieChildren()) where waitpid(pid, nil, WNOHANG) == pid {
            reaped += 1
        }
        return reaped
        #else
        return 0
        #endif
    }

    #if os(Linux)
    /// This process's children that have exited and wait to be reaped (state `Z` in `/proc`).
    static func zombieChildren() -> [Int32] {
        let own = getpid()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap(Int32.init).filter { pid in
            ProcStat(of: pid).map { $0.state == "Z" && $0.parent == own } ?? false
        }
    }
    #endif
}
