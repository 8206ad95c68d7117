package import EnsembleCore
import Foundation
package import Logging
package import ServiceLifecycle
import Synchronization

/// Owns every worker process for its whole life: starts the workers the store marks `spawning`,
/// watches them, re-spawns or retires them when they exit, and stops them on request.
///
/// The store decides which workers should run (routing) and what follows an exit (the core's
/// `WorkerLifecycle`, applied in the exit's transaction); the supervisor makes it so
/// (level-triggered): `launchPending()` starts whatever is marked and not yet running, and a
/// periodic maintenance pass rescues expired claims, routes what needs it, notices workers
/// recorded as running that have no process here, and starts anything still pending. Each
/// process runs in a child task of `run()`, inside swift-subprocess's scope, so none outlives
/// the supervisor. Time comes from an injected clock.
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
        /// The process of the current run, once it started.
        var pid: Int32?
        /// A signal of the stop ladder sent before the process started.
        var pendingSignal: Int32?
        var hasStarted = false
        /// Whether the stop ladder is to run: a stop was requested, or the server shuts down.
        var isStopRequested = false
        /// Why a stop was requested of this worker (by the coordinator, or because the store no
        /// longer wanted it started); `nil` when only the server's shutdown stops it.
        var stopReason: String?
        /// Wakes the current waiter of a stop request; each wait makes its own stream, since
        /// cancelling a stream's consumer ends that stream for good.
        var stop: AsyncStream<Void>.Continuation?
        var startWaiters: [CheckedContinuation<Void, Never>] = []
        var exitWaiters: [CheckedContinuation<Void, Never>] = []
        /// The clock's uptime at the last line of output (stdout or stderr): the one notion of activity.
        var lastOutput: Duration = .zero
        var lastActivityWrite: Duration = .zero
        var summary: RunSummary?
        var watchdogFired = false
    }

    let store: any WorkerStore & QueueStore
    let credentials: WorkerCredentials
    let launcher: any ProcessLauncher
    let configuration: SupervisorConfiguration
    let clock: any EnsembleClock
    let logger: Logger
    var runs: [WorkerID: Run] = [:]
    var isShuttingDown = false
    private var isPrepared = false
    /// The store's `spawnMarks` when `pendingLaunches()` was last read; none yet at first.
    private let marksLookedAt = Atomic<Int>(-1)
    private let launches: AsyncStream<WorkerLaunchPlan>
    private let launchRequests: AsyncStream<WorkerLaunchPlan>.Continuation

    // MARK: - Initialization

    package init(
        store: any WorkerStore & QueueStore,
        credentials: WorkerCredentials,
        launcher: any ProcessLauncher,
        configuration: SupervisorConfiguration,
        clock: any EnsembleClock = SystemClock(),
        logger: Logger
    ) {
        self.store = store
        self.credentials = credentials
        self.launcher = launcher
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
        (launches, launchRequests) = AsyncStream.makeStream()
    }

    // MARK: - Service

    /// Reconciles what an earlier server process left and routes what needs it.
    ///
    /// Call it before the server takes requests, so nothing is routed to a worker that is no
    /// longer there; `run()` does it itself when nobody did.
    package func prepare() async {
        guard !isPrepared else { return }
        isPrepared = true
        await reconcileRecordedWorkers()
        // Tokens die with the server that issued them, so an earlier server's run files are litter.
        WorkerRunFiles.removeAll(in: configuration.runsDirectory)
        await rescueAndRoute()
    }

    package func run() async throws {
        await prepare()
        await withDiscardingTaskGroup { group in
            group.addTask { await self.maintain() }
            for await plan in launches.cancelOnGracefulShutdown() {
                group.addTask { await self.supervise(plan) }
            }
            await self.stopAll()
        }
        abandonUnstarted()
        logger.info("Supervisor stopped; every worker process has exited")
    }

    // MARK: - WorkerControl

    /// Starts the workers marked to start, when a write marked any since the last look.
    ///
    /// Every write calls this, and most mark nothing (`WorkerStore.spawnMarks` says so), so they
    /// pay no read and no hop to this actor. The maintenance pass looks every time.
    package nonisolated func launchPending() async {
        let marks = store.spawnMarks
        guard marks != marksLookedAt.load(ordering: .acquiring) else { return }
        await launchMarked(lookingAt: marks)
    }

    /// Starts whatever is marked to start and not yet running; `marks` is the store's count of
    /// marks this look covers (a mark counted later gets a look of its own).
    func launchMarked(lookingAt marks: Int? = nil) async {
        marksLookedAt.store(marks ?? store.spawnMarks, ordering: .releasing)
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
            runs[plan.worker.id] = Run()
            launchRequests.yield(plan)
            started.append(plan.worker.id)
        }
        for id in started {
            await waitUntilStarted(id)
        }
    }

    package func stop(_ id: WorkerID) async throws {
        if runs[id] == nil {
            let report = try await store.workerReport(id)
            // A launch may have begun while the store answered: then it is stopped like a run.
            if runs[id] == nil, report.worker.status.isRunning {
                _ = try await store.recordExit(
                    id,
                    exit: WorkerExit(termination: .exited(code: 0)),
                    cause: .stopRequested(reason: "stopped before its process started"),
                    lifecycle: configuration.lifecycle
                )
            }
            if runs[id] == nil { return }
        }
        guard var run = runs[id] else { return }
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
        // At shutdown a yielded launch may never be consumed: nobody may wait for it.
        guard let run = runs[id], !run.hasStarted, !isShuttingDown else { return }
        await withCheckedContinuation { continuation in
            runs[id]?.startWaiters.append(continuation)
        }
    }

    /// The maintenance pass, every `rescueInterval` until shutdown: rescues expired claims and
    /// routes, retires workers recorded as running that have no process here, starts pending ones.
    private func maintain() async {
        while !isShuttingDown, !Task.isCancelled {
            await rescueAndRoute()
            await recordLostRuns()
            await launchMarked()
            let interval = configuration.rescueInterval
            let clock = clock
            try? await cancelWhenGracefulShutdown { try await clock.sleep(for: interval) }
            if Task.isShuttingDownGracefully { return }
        }
    }

    private func rescueAndRoute() async {
        do {
            let rescued = try await store.rescueExpiredClaims()
            if rescued > 0 {
                logger.info("Returned expired claims to their queues", metadata: ["task.count": "\(rescued)"])
            }
        } catch {
            logger.error("Cannot rescue expired claims", metadata: [LogKey.error: "\(error)"])
        }
    }

    /// A worker recorded as running with no process of ours (its exit could not be recorded) would
    /// keep tasks on its queue forever: record the lost run as a failure, so the lifecycle starts
    /// it again or its tasks are routed elsewhere.
    private func recordLostRuns() async {
        guard let recorded = try? await store.workersRecordedRunning() else { return }
        for worker in recorded where worker.status != .spawning && runs[worker.id] == nil {
            logger.warning(
                "A worker recorded as running has no process here; recording its exit",
                metadata: [LogKey.workerID: "\(worker.id)"]
            )
            _ = try? await store.recordExit(
                worker.id,
                exit: WorkerExit(termination: .signaled(SIGKILL)),
                cause: .processLost,
                lifecycle: configuration.lifecycle
            )
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

    private func stopAll() async {
        isShuttingDown = true
        let ids = Array(runs.keys)
        if !ids.isEmpty {
            logger.info("Stopping workers", metadata: ["worker.count": "\(ids.count)"])
        }
        for id in ids {
            runs[id]?.isStopRequested = true
            runs[id]?.stop?.yield()
            // A launch yielded but never consumed would keep its waiters forever.
            if runs[id]?.hasStarted == false, let waiters = runs[id]?.startWaiters {
                runs[id]?.startWaiters = []
                for waiter in waiters { waiter.resume() }
            }
        }
    }
}
