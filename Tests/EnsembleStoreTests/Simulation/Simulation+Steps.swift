import EnsembleCore
import EnsembleStore
import EnsembleTestSupport
import EnsembleWorkers
import Foundation

/// The steps: each plays the supervisor, a worker or the coordinator against the store, and
/// keeps the model of processes and claims that the checks compare the store with.
extension Simulation {
    func perform(_ step: SimulationStep) async throws {
        switch step {
        case .createTicket(let project, let stages, let priority, let rounds, let dependsOn):
            let (id, types) = Self.projects[project % Self.projects.count]
            let candidates = last.tickets.filter { $0.projectId == id }.map(\.ticketId)
            _ = try await database.createTicket(
                NewTicket(
                    projectId: id,
                    title: "Simulated",
                    description: "A simulated ticket.",
                    executionPlan: stages.map { types[$0 % types.count] },
                    priority: TicketPriority.allCases[priority % 4],
                    maxRounds: rounds,
                    dependsOn: dependsOn.compactMap { pick($0, from: candidates) }
                )
            )
        case .addDependency(let ticketIndex, let dependencyIndex):
            guard let ticket = pick(ticketIndex, from: last.tickets.map(\.ticketId)),
                let dependency = pick(dependencyIndex, from: last.tickets.map(\.ticketId))
            else { return }
            _ = try await database.addDependency(ticket, dependsOn: dependency)
        case .removeDependency(let index):
            guard let dependency = pick(index, from: last.dependencies) else { return }
            _ = try await database.removeDependency(dependency.ticketId, dependsOn: dependency.dependsOn)
        case .launch:
            try await launchPending()
        case .claim(let index):
            guard let worker = pick(index, from: processes.sorted()) else { return }
            let queue = WorkerNaming.queueName(for: worker)
            if let claim = try await database.claimNextTask(in: queue, by: worker) {
                held[worker] = Claim(
                    task: claim.taskId,
                    attempt: claim.attempt,
                    ticket: claim.ticketId,
                    lease: claim.leaseExpiresAt
                )
            }
        case .work(let index, let outcome):
            guard let worker = pick(index, from: processes.sorted()) else { return }
            if held[worker] == nil {
                try await perform(.claim(worker: processes.sorted().firstIndex(of: worker) ?? 0))
            }
            guard held[worker] != nil else { return }
            do {
                try await perform(.complete(worker: held.keys.sorted().firstIndex(of: worker) ?? 0, outcome: outcome))
            } catch is EnsembleError {
                // The claim stands when the completion is refused (prev_stage at stage 0).
            }
        case .complete(let index, let outcome):
            guard let worker = pick(index, from: held.keys.sorted()), let claim = held[worker] else { return }
            _ = try await database.completeStage(
                StageCompletion(
                    ticketId: claim.ticket,
                    taskId: claim.task,
                    attempt: claim.attempt,
                    report: "report",
                    outcome: Self.outcome(outcome),
                    reason: "simulated"
                ),
                by: worker
            )
            held[worker] = nil
        case .plan(let index, let count, let links, let onExisting):
            guard let worker = pick(index, from: held.keys.sorted()), let claim = held[worker],
                let ticket = last.tickets.first(where: { $0.ticketId == claim.ticket })
            else { return }
            let types = Self.projects.first { $0.id == ticket.projectId }?.types ?? []
            let existing = onExisting.flatMap { pick($0, from: last.tickets.map(\.ticketId.rawValue)) }
            let entries = try (0..<count).map { k in
                let link = links[k % links.count] % count
                return try PlannedTicket(
                    ref: "e\(k)",
                    title: "Planned \(k)",
                    description: "Declared by \(worker).",
                    executionPlan: [types[(k + link) % types.count]],
                    dependsOn: (link == k ? [] : ["e\(link)"]) + (k == 0 ? existing.map { [$0] } ?? [] : [])
                )
            }
            _ = try await database.completeStage(
                StageCompletion(
                    ticketId: claim.ticket,
                    taskId: claim.task,
                    attempt: claim.attempt,
                    report: "planned",
                    newTickets: try TicketBatch(entries)
                ),
                by: worker
            )
            held[worker] = nil
        case .staleComplete(let index, let kind):
            try await completeStale(index, kind)
        case .exit(let index, let kind):
            guard let worker = pick(index, from: processes.sorted()) else { return }
            try await exit(worker, kind)
        case .launchFailure(let index):
            let waiting = last.workers.filter { $0.status == .spawning && !processes.contains($0.id) }.map(\.id)
            guard let worker = pick(index, from: waiting) else { return }
            _ = try await database.recordExit(
                worker,
                exit: WorkerExit(termination: .launchFailed("no such file")),
                cause: .ended,
                lifecycle: lifecycle
            )
        case .spawn(let project, let type, let number):
            let (id, types) = Self.projects[project % Self.projects.count]
            let name = types[type % types.count]
            _ = try await database.requestWorker(
                WorkerNaming.workerID(type: name, number: number),
                project: id,
                type: name
            )
        case .revive(let index):
            guard let worker = pick(index, from: last.workers.filter { $0.status == .failed }) else { return }
            _ = try await database.requestWorker(
                worker.id,
                project: worker.identity.projectId,
                type: worker.identity.workerType
            )
        case .resume(let index):
            // As the events advise: first leave out the dependencies that were stopped.
            guard let ticket = pick(index, from: last.tickets.filter { $0.state == .onHold }) else { return }
            let stopped = Set(last.tickets.filter { $0.state == .closed && $0.resolution == .stopped }.map(\.ticketId))
            for dependency in last.dependencies
            where dependency.ticketId == ticket.ticketId
                && stopped.contains(dependency.dependsOn)
            {
                _ = try await database.removeDependency(ticket.ticketId, dependsOn: dependency.dependsOn)
            }
            _ = try await database.updateStage(of: ticket.ticketId, to: .index(ticket.currentStage))
            forgetClaims(of: ticket.ticketId)
        case .serveBacklog:
            let running = Set(
                last.workers.filter(\.status.isRunning).map { "\($0.identity.projectId)/\($0.identity.workerType)" }
            )
            guard
                let task = last.tasks.first(where: {
                    $0.state == .queued && $0.queueName == nil && !running.contains("\($0.projectId)/\($0.workerType)")
                }),
                let id = WorkerNaming.nextWorkerID(type: task.workerType, taken: last.workers.map(\.id))
            else { return }
            _ = try await database.requestWorker(id, project: task.projectId, type: task.workerType)
        case .stop(let index):
            guard let worker = pick(index, from: last.workers.map(\.id)) else { return }
            if processes.contains(worker) {
                try await exit(worker, .stopped)
            } else if last.workers.first(where: { $0.id == worker })?.status == .spawning {
                _ = try await database.recordExit(
                    worker,
                    exit: WorkerExit(termination: .exited(code: 0)),
                    cause: .stopRequested(reason: "stopped before its process started"),
                    lifecycle: lifecycle
                )
            }
        case .updateStage(let index, let stage):
            guard let ticket = pick(index, from: last.tickets.map(\.ticketId)) else { return }
            _ = try await database.updateStage(of: ticket, to: .index(stage))
            forgetClaims(of: ticket)
        case .close(let index, let stopped):
            guard let ticket = pick(index, from: last.tickets.map(\.ticketId)) else { return }
            _ = try await database.closeTicket(ticket, resolution: stopped ? .stopped : .completed, reason: "simulated")
            forgetClaims(of: ticket)
        case .updateType(let project, let type, let maxWorkers):
            let (id, types) = Self.projects[project % Self.projects.count]
            _ = try await database.updateWorkerType(
                types[type % types.count],
                in: id,
                with: WorkerTypeUpdate(maxWorkers: maxWorkers)
            )
        case .assign(let ticketIndex, let workerIndex):
            guard let ticket = pick(ticketIndex, from: last.tickets.map(\.ticketId)),
                let worker = pick(workerIndex, from: last.workers.map(\.id))
            else { return }
            _ = try await database.assignTicket(ticket, to: WorkerNaming.queueName(for: worker))
        case .deleteQueue(let index):
            guard let worker = pick(index, from: last.workers.map(\.id)) else { return }
            _ = try await database.deleteQueue(WorkerNaming.queueName(for: worker))
        case .coordinatorClaim(let index):
            guard let worker = pick(index, from: last.workers.map(\.id)) else { return }
            let queue = WorkerNaming.queueName(for: worker)
            guard let claim = try await database.claimNextTask(in: queue, by: Self.coordinator) else { return }
            if !coordinatorClaims.contains(where: { $0.task == claim.taskId }) {
                coordinatorClaims.append(
                    Claim(
                        task: claim.taskId,
                        attempt: claim.attempt,
                        ticket: claim.ticketId,
                        lease: claim.leaseExpiresAt
                    )
                )
            }
        case .coordinatorComplete(let index, let outcome):
            guard !coordinatorClaims.isEmpty else { return }
            let claim = coordinatorClaims[index % coordinatorClaims.count]
            _ = try await database.completeStage(
                StageCompletion(
                    ticketId: claim.ticket,
                    taskId: claim.task,
                    attempt: claim.attempt,
                    report: "coordinator report",
                    outcome: Self.outcome(outcome)
                ),
                by: Self.coordinator
            )
            coordinatorClaims.removeAll { $0.task == claim.task }
        case .merge(let index, let outcome):
            guard let ticket = pick(index, from: last.tickets.filter { $0.state == .merging }) else { return }
            switch outcome {
            case 0..<6:
                try await database.recordMerged(ticket.ticketId, commit: "c0ffee\(index)", baseBranch: "main")
            case 6..<9:
                let stage = outcome % ticket.executionPlan.count
                try await database.sendBackFromMerge(
                    ticket.ticketId,
                    to: stage,
                    because: .mergeConflict,
                    reason: "merging into main conflicts in a.txt",
                    comment: "Merge main and resolve a.txt."
                )
            default:
                try await database.noteMergeWaiting(ticket.ticketId, reason: "main has uncommitted changes")
            }
        case .advanceClock(let seconds):
            clock.advance(by: .seconds(seconds))
        case .maintain:
            try await rescue()
        case .restart(let autoSpawn, let cap):
            try await restart(policy: RoutingPolicy(autoSpawn: autoSpawn, maxRunningWorkers: cap))
        }
    }

    /// Starts what is marked to start as the supervisor does: a per-task worker's run claims its
    /// task first, and a worker that finds none finishes without a process.
    func launchPending() async throws {
        for plan in try await database.pendingLaunches() {
            let worker = plan.worker.id
            var claim: ClaimedTask?
            if plan.workerType.settings.session == .perTask {
                claim = try await database.claimTaskForRun(worker)
                guard claim != nil else {
                    _ = try await database.recordExit(
                        worker,
                        exit: WorkerExit(termination: .noTask),
                        cause: .ended,
                        lifecycle: lifecycle
                    )
                    continue
                }
            }
            launches += 1
            try await database.recordLaunchIntent(worker, runID: "run-\(launches)", task: claim)
            try await database.recordLaunch(
                worker,
                ProcessLaunch(pid: -launches, processStartedAt: nil, sessionId: "run-\(launches)", logPath: "log")
            )
            processes.insert(worker)
            if let claim, plan.project.workspace.isolation == .worktree {
                // As the supervisor readies the ticket's worktree before its run starts.
                try await database.recordWorktree(
                    Worktree(
                        ticketId: claim.ticketId,
                        projectId: plan.project.repositoryName,
                        branch: Worktree.branch(of: claim.ticketId),
                        path: "/worktrees/\(claim.ticketId)",
                        baseCommit: "base",
                        createdAt: Date()
                    )
                )
            }
            if let claim {
                held[worker] = Claim(
                    task: claim.taskId,
                    attempt: claim.attempt,
                    ticket: claim.ticketId,
                    lease: claim.leaseExpiresAt
                )
            }
        }
    }

    func exit(_ worker: WorkerID, _ kind: SimulationStep.ExitKind) async throws {
        let (termination, cause): (WorkerExit.Termination, ExitCause) =
            switch kind {
            case .clean: (.exited(code: 0), .ended)
            case .crash: (.exited(code: 1), .ended)
            case .killed: (.signaled(9), .ended)
            case .hung: (.signaled(15), .hung)
            case .stopped: (.signaled(15), .stopRequested(reason: "stopped by the coordinator"))
            case .lost: (.signaled(9), .processLost)
            }
        let exit = WorkerExit(termination: termination)
        let decision = try await database.recordExit(worker, exit: exit, cause: cause, lifecycle: lifecycle)
        if decision != nil, let claim = held[worker], cause.releaseCause(of: worker, exit: exit).isFailure {
            expectedFailures[claim.task, default: 0] += 1
        }
        processes.remove(worker)
        held[worker] = nil
    }

    func completeStale(_ index: Int, _ kind: SimulationStep.StaleKind) async throws {
        let holders = held.keys.sorted()
        var completion: (StageCompletion, WorkerID)?
        switch kind {
        case .oldAttempt:
            guard let worker = pick(index, from: holders), let claim = held[worker] else { return }
            let stale = claim.attempt > 1 ? claim.attempt - 1 : claim.attempt + 1
            completion = (try Self.completion(claim, attempt: stale), worker)
        case .otherWorker:
            guard let worker = pick(index, from: holders), let claim = held[worker],
                let other = processes.sorted().first(where: { $0 != worker })
            else { return }
            completion = (try Self.completion(claim, attempt: claim.attempt), other)
        case .finishedTask:
            let done = last.tasks.filter { $0.state == .done || $0.state == .discarded }
            guard let task = pick(index, from: done.map(\.id)), let worker = processes.sorted().first,
                let row = done.first(where: { $0.id == task })
            else { return }
            let claim = Claim(task: task, attempt: row.attempt, ticket: row.ticketId, lease: .distantPast)
            completion = (try Self.completion(claim, attempt: row.attempt), worker)
        }
        guard let (stale, worker) = completion else { return }
        _ = try await database.completeStage(stale, by: worker)
        throw Failure(step: stepNumber, problems: ["a stale completion (\(kind)) by \(worker) was accepted"])
    }

    func rescue() async throws {
        let now = clock.now
        let expiring = coordinatorClaims.filter { $0.lease < now }
        _ = try await database.rescueExpiredClaims()
        for claim in expiring {
            expectedFailures[claim.task, default: 0] += 1
        }
        coordinatorClaims.removeAll { $0.lease < now }
    }

    /// The server dies with every worker process, and a new one starts on the same file: the
    /// real supervisor's start-up (`prepare()`) reconciles, and no claim uses up an attempt.
    func restart(policy: RoutingPolicy) async throws {
        processes.removeAll()
        held.removeAll()
        database = try EnsembleDatabase.open(at: path, routing: policy, clock: clock)
        let supervisor = TestSupervisor.make(
            store: database,
            launcher: FakeProcessLauncher([.exit(code: 0)]),
            logDirectory: directory.path,
            clock: clock,
            lifecycle: lifecycle
        )
        let now = clock.now
        let expiring = coordinatorClaims.filter { $0.lease < now }
        await supervisor.prepare()
        for claim in expiring { expectedFailures[claim.task, default: 0] += 1 }
        coordinatorClaims.removeAll { $0.lease < now }
    }

    func forgetClaims(of ticket: TicketID) {
        held = held.filter { $0.value.ticket != ticket }
        coordinatorClaims.removeAll { $0.ticket == ticket }
    }

    // MARK: - Private helpers

    func pick<T>(_ index: Int, from items: [T]) -> T? {
        items.isEmpty ? nil : items[index % items.count]
    }

    static func outcome(_ choice: Int) -> StageOutcome {
        switch choice {
        case 0..<7: .nextStage
        case 7, 8: .prevStage
        default: .needsAttention
        }
    }

    static func completion(_ claim: Claim, attempt: Int) throws -> StageCompletion {
        try StageCompletion(ticketId: claim.ticket, taskId: claim.task, attempt: attempt, report: "stale report")
    }
}
