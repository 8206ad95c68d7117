import EnsembleCore
import Foundation
import Logging

/// Running one worker: its process, its output, its exits and re-spawns.
extension Supervisor {
    /// How the race between a process and a stop request ended.
    private enum RunEnd: Sendable {
        case processEnded(WorkerExit.Termination)
        case processCancelled
        case stopRequested
        case graceExpired
    }

    /// Runs `plan`'s worker until it is retired: re-spawns it while the store's decision says so.
    func supervise(_ initial: WorkerLaunchPlan) async {
        var plan = initial
        let id = plan.worker.id
        var logger = logger
        logger[metadataKey: LogKey.workerID] = "\(id)"
        var continuesStreak = false
        while true {
            let exit = await runOnce(plan, continuesStreak: continuesStreak, logger: logger)
            guard let delay = await resolve(exit, of: id, logger: logger) else { return finish(id) }
            // No pause means the run completed a stage: the next one carries on the same streak.
            continuesStreak = delay == .zero
            if delay > .zero {
                logger.info("Re-spawning worker after a backoff", metadata: ["backoff": "\(delay)"])
                await waitForStop(of: id, upTo: delay)
            }
            if let run = runs[id], run.isStopRequested {
                // Stopped during the backoff: by the coordinator, or by a shutdown (then it starts with the server).
                await record(WorkerExit(termination: exit.termination), of: id, cause: cause(of: run))
                return finish(id)
            }
            guard let next = try? await store.pendingLaunches().first(where: { $0.worker.id == id }) else {
                return finish(id)
            }
            plan = next
        }
    }

    // MARK: - One run

    private func runOnce(_ plan: WorkerLaunchPlan, continuesStreak: Bool, logger: Logger) async -> WorkerExit {
        let id = plan.worker.id
        var task: ClaimedTask?
        var workingDirectory: String?
        if plan.workerType.settings.session == .perTask {
            do {
                guard let (claim, directory) = try await claimRunnableTask(plan, logger: logger) else {
                    markStartedIfWaiting(id)
                    return WorkerExit(termination: .noTask)
                }
                (task, workingDirectory) = (claim, directory)
            } catch {
                return WorkerExit(termination: .launchFailed("cannot claim its next task: \(error)"))
            }
        }
        let token = credentials.issue(for: plan.worker.identity)
        defer { credentials.revoke(id) }
        let files = WorkerRunFiles(runsDirectory: configuration.runsDirectory, worker: id)
        defer { files.remove() }
        do {
            try files.write(token: token, systemPrompt: WorkerPrompt.system(for: plan))
        } catch {
            return WorkerExit(
                termination: .launchFailed("cannot write the run's files in \(files.directory): \(error)")
            )
        }
        let sessionID = UUID().uuidString.lowercased()
        do {
            try await store.recordLaunchIntent(id, runID: sessionID, task: task)
        } catch {
            logger.warning("Cannot record a launch intent", metadata: [LogKey.error: "\(error)"])
        }
        let command = configuration.commandBuilder.command(
            for: plan,
            files: files,
            sessionID: sessionID,
            task: task,
            workingDirectory: workingDirectory
        )
        let log = WorkerLog(directory: configuration.logDirectory, worker: id.rawValue)
        defer { log.close() }
        resetRunState(id)
        let timeout = configuration.inactivityTimeout(plan.workerType.settings)
        let began = clock.uptime
        let launcher = launcher
        let clock = clock
        let grace = configuration.stopGrace
        let end = await withTaskGroup(of: RunEnd.self) { group in
            group.addTask {
                do {
                    let termination = try await launcher.run(
                        command,
                        onStart: { pid in
                            await self.processStarted(
                                id,
                                pid: pid,
                                sessionID: sessionID,
                                log: log,
                                continuesStreak: continuesStreak
                            )
                        },
                        onOutput: { line in await self.received(line, from: id, log: log, timeout: timeout) }
                    )
                    return .processEnded(termination)
                } catch {
                    return .processCancelled
                }
            }
            group.addTask {
                await self.waitForStopOrInactivity(of: id, timeout: timeout)
                return .stopRequested
            }
            // The stop ladder runs while output is still read, so the process can finish writing:
            // SIGTERM to the group, the grace period, SIGKILL to the group, and as a last resort
            // cancellation (swift-subprocess then tears the process down itself).
            var hasKilled = false
            while let next = await group.next() {
                switch next {
                case .processEnded, .processCancelled:
                    group.cancelAll()
                    return next
                case .stopRequested:
                    signalGroup(of: id, with: SIGTERM)
                    group.addTask {
                        try? await clock.sleep(for: grace)
                        return .graceExpired
                    }
                case .graceExpired where !hasKilled:
                    hasKilled = true
                    signalGroup(of: id, with: SIGKILL)
                    group.addTask {
                        try? await clock.sleep(for: .seconds(5))
                        return .graceExpired
                    }
                case .graceExpired:
                    group.cancelAll()
                }
            }
            return .processCancelled
        }
        // Sweep the group, then the run: nothing a worker started may outlive it (a dev server, a
        // `sleep &`, or a `setsid` daemon that left the group but still carries the run id).
        if let pid = runs[id]?.pid {
            launcher.signalGroup(of: pid, with: SIGKILL)
        }
        let escaped = ProcessInspector.killAll(ofRun: sessionID)
        if escaped > 0 {
            logger.info(
                "Ended processes that left the worker's process group",
                metadata: ["process.count": "\(escaped)"]
            )
        }
        markStartedIfWaiting(id)
        if let task, workingDirectory != nil {
            await setAsideIfUnfinished(task, of: plan, runID: sessionID)
        }
        let termination: WorkerExit.Termination =
            switch end {
            case .processEnded(let termination): termination
            case .processCancelled, .stopRequested, .graceExpired: .signaled(SIGKILL)
            }
        logger.info("Worker process exited", metadata: [LogKey.exitStatus: "\(termination)"])
        return WorkerExit(termination: termination, summary: runs[id]?.summary, duration: clock.uptime - began)
    }

    /// Claims the worker's next task and readies the directory it runs in.
    ///
    /// That is the project's, or the ticket's worktree. A ticket whose worktree cannot be made ready is held (its claim given back
    /// unused) and the next task is tried.
    /// - Returns: The claim and its working directory (`nil`: the project's), or `nil` when nothing is left.
    private func claimRunnableTask(_ plan: WorkerLaunchPlan, logger: Logger) async throws
        -> (ClaimedTask, String?)?
    {
        while let claim = try await store.claimTaskForRun(plan.worker.id) {
            guard plan.project.workspace.isolation == .worktree, let workspaces = configuration.workspaces else {
                return (claim, nil)
            }
            do {
                let ticket = try await workspaces.store.ticketDetails(claim.ticketId).ticket
                return (claim, try await workspaces.prepare(ticket, in: plan.project))
            } catch {
                logger.warning(
                    "Cannot make a ticket's worktree ready; holding the ticket",
                    metadata: [LogKey.ticketID: "\(claim.ticketId)", LogKey.error: "\(error)"]
                )
                try await workspaces.store.holdForWorkspace(claim.ticketId, task: claim.taskId, reason: "\(error)")
            }
        }
        return nil
    }

    /// After a run in a ticket's worktree that did not complete its task, saves its partial diff
    /// next to the worker's log and resets the worktree to the last stage's commit.
    private func setAsideIfUnfinished(_ task: ClaimedTask, of plan: WorkerLaunchPlan, runID: String) async {
        guard let workspaces = configuration.workspaces,
            let pending = try? await store.pendingTasks(in: plan.worker.identity.queueName),
            pending.contains(where: { $0.id == task.taskId && $0.state == .claimed })
        else { return }
        let patch = (configuration.logDirectory as NSString)
            .appendingPathComponent("\(plan.worker.id)-\(runID).patch")
        await workspaces.setAsideUnfinishedWork(of: task.ticketId, patchPath: patch)
    }

    /// Records an exit, and the store decides what follows.
    ///
    /// - Returns: The delay before the worker runs again, or `nil` when supervision ends.
    private func resolve(_ exit: WorkerExit, of id: WorkerID, logger: Logger) async -> Duration? {
        if case .launchFailed(let reason) = exit.termination {
            logger.error("Cannot start worker process", metadata: [LogKey.error: "\(reason)"])
        }
        guard let run = runs[id] else { return nil }
        if run.watchdogFired {
            logger.warning("Stopped an inactive worker", metadata: ["worker.stage_timeout": "exceeded"])
        }
        guard let decision = await record(exit, of: id, cause: cause(of: run)),
            case .respawn = decision.resolution, !isShuttingDown
        else { return nil }
        return decision.respawnDelay
    }

    /// Why a run ended: a requested stop wins over a shutdown, which wins over the watchdog.
    private func cause(of run: Run) -> ExitCause {
        if let reason = run.stopReason { return .stopRequested(reason: reason) }
        if isShuttingDown { return .serverShutdown }
        return run.watchdogFired ? .hung : .ended
    }

    /// Records an exit and starts whatever it freed capacity for.
    @discardableResult
    private func record(_ exit: WorkerExit, of id: WorkerID, cause: ExitCause) async -> WorkerLifecycle.Decision? {
        do {
            let decision = try await store.recordExit(id, exit: exit, cause: cause, lifecycle: configuration.lifecycle)
            if !isShuttingDown { await launchMarked() }
            return decision
        } catch is CancellationError {
            // Cancelled, not shut down gracefully: the next start reconciles this worker.
            logger.debug("Worker exit left to start-up reconciliation", metadata: [LogKey.workerID: "\(id)"])
        } catch {
            logger.error(
                "Cannot record a worker exit",
                metadata: [LogKey.workerID: "\(id)", LogKey.error: "\(error)"]
            )
        }
        return nil
    }

    /// Forgets a retired worker and wakes everyone waiting on it.
    private func finish(_ id: WorkerID) {
        guard let run = runs.removeValue(forKey: id) else { return }
        run.stop?.finish()
        for waiter in run.startWaiters + run.exitWaiters {
            waiter.resume()
        }
    }

    // MARK: - Process callbacks

    private func processStarted(
        _ id: WorkerID,
        pid: Int32,
        sessionID: String,
        log: WorkerLog,
        continuesStreak: Bool
    ) async {
        runs[id]?.pid = pid
        if let signal = runs[id]?.pendingSignal {
            runs[id]?.pendingSignal = nil
            launcher.signalGroup(of: pid, with: signal)
        }
        let launch = ProcessLaunch(
            pid: pid,
            processStartedAt: ProcessInspector.startTime(of: pid),
            sessionId: sessionID,
            logPath: log.outputPath,
            continuesStreak: continuesStreak
        )
        let isWanted: Bool
        do {
            isWanted = try await store.recordLaunch(id, launch)
        } catch is CancellationError {
            logger.debug("Worker launch left to start-up reconciliation", metadata: [LogKey.workerID: "\(id)"])
            isWanted = true
        } catch EnsembleError.workerNotFound {
            isWanted = false
        } catch {
            logger.error(
                "Cannot record a worker launch",
                metadata: [LogKey.workerID: "\(id)", LogKey.error: "\(error)"]
            )
            isWanted = true
        }
        if !isWanted {
            // Stopped (or deleted) while it started: end it rather than let it run unrecorded.
            logger.info("Ending a worker process the store no longer wants", metadata: [LogKey.workerID: "\(id)"])
            runs[id]?.isStopRequested = true
            runs[id]?.stopReason = runs[id]?.stopReason ?? "stopped before its process started"
            runs[id]?.stop?.yield()
        }
        logger.info("Worker process started", metadata: [LogKey.workerID: "\(id)", LogKey.processPID: "\(pid)"])
        markStartedIfWaiting(id)
    }

    /// Any line, on stdout or stderr, is activity: it feeds the watchdog and renews the leases
    /// (for the same timeout), so the two never disagree.
    private func received(_ line: OutputLine, from id: WorkerID, log: WorkerLog, timeout: Duration) async {
        let now = clock.uptime
        runs[id]?.lastOutput = now
        switch line {
        case .standardError(let text):
            log.writeError(text)
        case .standardOutput(let text):
            log.writeOutput(text)
            for event in StreamJSONParser.runEvents(in: text) {
                note(event, from: id)
            }
        }
        guard let run = runs[id], now - run.lastActivityWrite >= configuration.activityInterval else { return }
        runs[id]?.lastActivityWrite = now
        let (seconds, fraction) = timeout.components
        try? await store.recordActivity(id, leaseSeconds: Int(seconds) + (fraction > 0 ? 1 : 0))
    }

    private func note(_ event: StreamEvent, from id: WorkerID) {
        switch event {
        case .initialized(_, let servers):
            if servers[WorkerPrompt.serverName] != "connected" {
                logger.warning(
                    "Worker could not connect to the MCP server",
                    metadata: [
                        LogKey.workerID: "\(id)", "mcp.status": "\(servers[WorkerPrompt.serverName] ?? "absent")",
                    ]
                )
            }
        case .result(let summary):
            runs[id]?.summary = summary
        case .toolUse, .other:
            break  // `runEvents` gives neither
        }
    }

    // MARK: - Waiting

    /// Signals the worker's process group; a signal sent before the process started is delivered
    /// as soon as it does.
    private func signalGroup(of id: WorkerID, with signal: Int32) {
        guard let pid = runs[id]?.pid else {
            runs[id]?.pendingSignal = signal
            return
        }
        launcher.signalGroup(of: pid, with: signal)
    }

    private func resetRunState(_ id: WorkerID) {
        runs[id]?.pid = nil
        runs[id]?.pendingSignal = nil
        runs[id]?.lastOutput = clock.uptime
        runs[id]?.summary = nil
        runs[id]?.watchdogFired = false
    }

    private func markStartedIfWaiting(_ id: WorkerID) {
        guard var run = runs[id] else { return }
        run.hasStarted = true
        let waiters = run.startWaiters
        run.startWaiters = []
        runs[id] = run
        for waiter in waiters { waiter.resume() }
    }

    /// Returns when a stop is requested or the worker printed nothing for `timeout` (watchdog).
    private func waitForStopOrInactivity(of id: WorkerID, timeout: Duration) async {
        guard let signal = stopRequests(of: id) else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in signal { return }
            }
            group.addTask {
                while !Task.isCancelled {
                    let idle = await self.idleTime(of: id)
                    if idle >= timeout {
                        await self.fireWatchdog(id)
                        return
                    }
                    try? await self.clock.sleep(for: min(timeout - idle, .seconds(1)))
                }
            }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitForStop(of id: WorkerID, upTo delay: Duration) async {
        guard let signal = stopRequests(of: id) else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in signal { return }
            }
            group.addTask { try? await self.clock.sleep(for: delay) }
            await group.next()
            group.cancelAll()
        }
    }

    /// A fresh stream that yields once a stop is requested (at once if one already was).
    private func stopRequests(of id: WorkerID) -> AsyncStream<Void>? {
        guard runs[id] != nil else { return nil }
        let (stream, continuation) = AsyncStream<Void>.makeStream()
        if runs[id]?.isStopRequested == true { continuation.yield() }
        runs[id]?.stop = continuation
        return stream
    }

    private func idleTime(of id: WorkerID) -> Duration {
        runs[id].map { clock.uptime - $0.lastOutput } ?? .zero
    }

    private func fireWatchdog(_ id: WorkerID) {
        runs[id]?.watchdogFired = true
    }
}
