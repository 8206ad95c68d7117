package import EnsembleCore
import Foundation
package import Logging
package import ServiceLifecycle

/// Owns every worker process for its whole life: starts the workers the store marks `spawning`,
/// watches them, re-spawns or retires them when they exit, and stops them on request.
///
/// The store decides which workers should run (routing); the supervisor makes it so
/// (level-triggered): `launchPending()` starts whatever is marked and not yet running, and a
/// periodic pass rescues expired claims and starts anything still pending. Each process runs in
/// a child task of `run()`, inside swift-subprocess's scope, so none outlives the supervisor.
///
/// Isolation: an actor. The per-worker table `runs` is only touched on the actor; re-check it
/// after every `await`.
///
/// ```swift
/// let supervisor = Supervisor(store: database, credentials: credentials,
///                             launcher: SubprocessLauncher(stopGrace: .seconds(5)),
///                             configuration: configuration, logger: logger)
/// // run it in the ServiceGroup; tools call supervisor.launchPending() after routing
/// ```
package actor Supervisor: WorkerControl, Service {
    /// What the supervisor knows about one worker it runs.
    struct Run {
        var lifecycle: WorkerLifecycle
        /// The process of the current run, once it started.
        var pid: Int32?
        /// A signal of the stop ladder sent before the process started.
        var pendingSignal: Int32?
        var hasStarted = false
        var isStopRequested = false
        var stopReason: String?
        /// Wakes the current waiter of a stop request; each wait makes its own stream, since
        /// cancelling a stream's consumer ends that stream for good.
        var stop: AsyncStream<Void>.Continuation?
        var startWaiters: [CheckedContinuation<Void, Never>] = []
        var exitWaiters: [CheckedContinuation<Void, Never>] = []
        var lastOutput = ContinuousClock.now
        var lastActivityWrite = ContinuousClock.now
        var summary: RunSummary?
        var madeProgress = false
        var watchdogFired = false
    }

    let store: any WorkerStore & QueueStore
    let credentials: WorkerCredentials
    let launcher: any ProcessLauncher
    let configuration: SupervisorConfiguration
    let logger: Logger
    var runs: [WorkerID: Run] = [:]
    var isShuttingDown = false
    private let launches: AsyncStream<WorkerLaunchPlan>
    private let launchRequests: AsyncStream<WorkerLaunchPlan>.Continuation

    // MARK: - Initialization

    package init(
        store: any WorkerStore & QueueStore,
        credentials: WorkerCredentials,
        launcher: any ProcessLauncher,
        configuration: SupervisorConfiguration,
        logger: Logger
    ) {
        self.store = store
        self.credentials = credentials
        self.launcher = launcher
        self.configuration = configuration
        self.logger = logger
        (launches, launchRequests) = AsyncStream.makeStream()
    }

    // MARK: - Service

    package func run() async throws {
        await reconcileRecordedWorkers()
        await withDiscardingTaskGroup { group in
            group.addTask { await self.maintain() }
            for await plan in launches.cancelOnGracefulShutdown() {
                group.addTask { await self.supervise(plan) }
            }
            await self.stopAll(reason: "the server shut down")
        }
        abandonUnstarted()
        logger.info("Supervisor stopped; every worker process has exited")
    }

    // MARK: - WorkerControl

    package func launchPending() async {
        guard !isShuttingDown else { return }
        let plans: [WorkerLaunchPlan]
        do {
            plans = try await store.pendingLaunches()
        } catch {
            logger.error("Cannot read the workers to start", metadata: [LogKey.error: "\(error)"])
            return
        }
        var started: [WorkerID] = []
        for plan in plans where runs[plan.worker.id] == nil && !isShuttingDown {
            runs[plan.worker.id] = Run(lifecycle: configuration.lifecycle)
            launchRequests.yield(plan)
            started.append(plan.worker.id)
        }
        for id in started {
            await waitUntilStarted(id)
        }
    }

    package func stop(_ id: WorkerID) async throws {
        guard var run = runs[id] else {
            let report = try await store.workerReport(id)
            if report.worker.status.isRunning {
                try await store.recordExit(
                    id,
                    exit: WorkerExit(termination: .exited(code: 0)),
                    resolution: .stopped(reason: "stopped before its process started")
                )
            }
            return
        }
        run.isStopRequested = true
        run.stopReason = run.stopReason ?? "stopped by the coordinator"
        runs[id] = run
        run.stop?.yield()
        await withCheckedContinuation { continuation in
            runs[id]?.exitWaiters.append(continuation)
        }
    }

    package func isRunning(_ id: WorkerID) async -> Bool {
        runs[id] != nil
    }

    // MARK: - Private helpers

    private func waitUntilStarted(_ id: WorkerID) async {
        guard let run = runs[id], !run.hasStarted else { return }
        await withCheckedContinuation { continuation in
            runs[id]?.startWaiters.append(continuation)
        }
    }

    /// Rescues expired claims and starts pending workers, every `rescueInterval` until shutdown.
    private func maintain() async {
        while !isShuttingDown, !Task.isCancelled {
            do {
                let rescued = try await store.rescueExpiredClaims(now: Date())
                if rescued > 0 {
                    logger.info("Returned expired claims to their queues", metadata: ["task.count": "\(rescued)"])
                }
            } catch {
                logger.error("Cannot rescue expired claims", metadata: [LogKey.error: "\(error)"])
            }
            await launchPending()
            let interval = configuration.rescueInterval
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            if Task.isShuttingDownGracefully { return }
        }
    }

    /// Wakes callers waiting on workers whose launch was requested but never began (shutdown
    /// came first); the store still marks them `spawning`, so the next start launches them.
    private func abandonUnstarted() {
        for run in runs.values {
            for waiter in run.startWaiters + run.exitWaiters { waiter.resume() }
        }
        runs.removeAll()
    }

    private func stopAll(reason: String) async {
        isShuttingDown = true
        let ids = Array(runs.keys)
        if !ids.isEmpty {
            logger.info("Stopping workers", metadata: ["worker.count": "\(ids.count)"])
        }
        for id in ids {
            runs[id]?.isStopRequested = true
            runs[id]?.stopReason = reason
            runs[id]?.stop?.yield()
        }
    }
}
