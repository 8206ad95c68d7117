import EnsembleCore
import EnsembleStore
import EnsembleTestSupport
import Foundation

/// One simulated history against the real store (a SQLite file) and the core rules, playing the
/// supervisor, the workers and the coordinator, and checking every invariant after every step.
///
/// Besides `EnsembleInvariants`, it checks what only a model of the processes can know: a claim
/// held by a running worker stays its own (invariant 5), a task's failures are exactly the failures
/// of its work (invariant 4), a worker is recorded `active` or `idle` exactly while its process
/// runs, and a refused operation changes nothing.
final class Simulation {
    /// A broken invariant or an unexpected error, with the step that caused it.
    struct Failure: Error, CustomStringConvertible {
        var step: Int
        var problems: [String]

        var description: String { "after step \(step): " + problems.joined(separator: "; ") }
    }

    /// A claim the model knows is held.
    private struct Claim {
        var task: TaskID
        var attempt: Int
        var ticket: TicketID
        var lease: Date
    }

    static let projects: [(id: ProjectID, types: [WorkerTypeName])] = [
        (ProjectID(uncheckedRawValue: "acme/shop"), ["planner", "coder", "reviewer"].map(WorkerTypeName.init)),
        (ProjectID(uncheckedRawValue: "acme/web"), ["coder", "tester"].map(WorkerTypeName.init)),
    ]
    private static let coordinator = WorkerID(uncheckedRawValue: "coordinator")

    private let directory: TemporaryDirectory
    private let path: String
    private let clock: ManualClock
    private let lifecycle = WorkerLifecycle(maximumQuickFailures: 3)
    private var database: EnsembleDatabase
    private var processes: Set<WorkerID> = []
    private var held: [WorkerID: Claim] = [:]
    private var coordinatorClaims: [Claim] = []
    private var expectedFailures: [TaskID: Int] = [:]
    private var launches: Int32 = 0
    private var last: EnsembleSnapshot
    private var stepNumber = 0

    // MARK: - Initialization

    private init(
        directory: TemporaryDirectory,
        path: String,
        clock: ManualClock,
        database: EnsembleDatabase,
        snapshot: EnsembleSnapshot
    ) {
        self.directory = directory
        self.path = path
        self.clock = clock
        self.database = database
        self.last = snapshot
    }

    /// A fresh store file (on tmpfs when there is one) with two projects and their worker types.
    static func make() async throws -> Simulation {
        let directory = try TemporaryDirectory("simulation")
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : directory.path
        let path = "\(base)/vibe-ensemble-simulation-\(UUID().uuidString.prefix(8)).db"
        let clock = ManualClock()
        let database = try EnsembleDatabase.open(at: path, routing: RoutingPolicy(maxRunningWorkers: 3), clock: clock)
        for (index, project) in projects.enumerated() {
            _ = try await database.createProject(Fixtures.project(project.id.rawValue, path: directory.path))
            for type in project.types {
                var new = try Fixtures.workerType(type.rawValue, in: project.id.rawValue)
                new.settings.stageTimeoutSeconds = index == 0 ? 60 : 1_800
                _ = try await database.createWorkerType(new)
            }
        }
        return Simulation(
            directory: directory,
            path: path,
            clock: clock,
            database: database,
            snapshot: try await database.snapshot()
        )
    }

    /// Plays `steps` on a fresh store.
    /// - Returns: The first failure, or `nil` when every invariant held throughout.
    static func replay(_ steps: [SimulationStep]) async throws -> Failure? {
        let simulation = try await make()
        defer { simulation.remove() }
        do {
            for step in steps { try await simulation.run(step) }
            try await simulation.drain()
            return nil
        } catch let failure as Failure {
            return failure
        }
    }

    /// Deletes the store file.
    func remove() {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        directory.remove()
    }

    // MARK: - Running steps

    /// Runs one step and checks everything after it.
    /// - Throws: `Failure` when an invariant broke or the store failed.
    func run(_ step: SimulationStep) async throws {
        stepNumber += 1
        var refused = false
        do {
            try await perform(step)
        } catch is EnsembleError {
            refused = true
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(step: stepNumber, problems: ["\(step) failed unexpectedly: \(error)"])
        }
        try await check(after: step, refused: refused)
    }

    /// Plays diligent workers and a diligent coordinator until every ticket is closed.
    ///
    /// Workers claim and complete, and exit when their queue is empty; the coordinator resumes
    /// held tickets, revives failed workers and serves the backlog. Nothing is stranded if that
    /// always ends.
    /// - Throws: `Failure` when a ticket is still open after many rounds, or an invariant broke.
    func drain() async throws {
        for _ in 0..<400 {
            if last.tickets.allSatisfy({ $0.state == .closed }) { return }
            try await run(.launch)
            for worker in processes.sorted() {
                try await run(.claim(worker: processes.sorted().firstIndex(of: worker) ?? 0))
                if held[worker] == nil {
                    try await run(.exit(worker: processes.sorted().firstIndex(of: worker) ?? 0, kind: .clean))
                } else {
                    try await run(.complete(worker: held.keys.sorted().firstIndex(of: worker) ?? 0, outcome: 0))
                }
            }
            for _ in last.tickets.filter({ $0.state == .onHold }) { try await run(.resume(ticket: 0)) }
            for _ in last.workers.filter({ $0.status == .failed }) { try await run(.revive(worker: 0)) }
            try await run(.serveBacklog)
            while !coordinatorClaims.isEmpty { try await run(.coordinatorComplete(claim: 0, outcome: 0)) }
        }
        let open = last.tickets.filter { $0.state != .closed }.map { "\($0.ticketId) \($0.state.rawValue)" }
        throw Failure(step: stepNumber, problems: ["tickets stranded after draining: \(open.joined(separator: ", "))"])
    }

    // MARK: - Private: the steps

    private func perform(_ step: SimulationStep) async throws {
        switch step {
        case .createTicket(let project, let stages, let priority, let rounds):
            let (id, types) = Self.projects[project % Self.projects.count]
            _ = try await database.createTicket(
                NewTicket(
                    projectId: id,
                    title: "Simulated",
                    description: "A simulated ticket.",
                    executionPlan: stages.map { types[$0 % types.count] },
                    priority: TicketPriority.allCases[priority % 4],
                    maxRounds: rounds
                )
            )
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
            guard let ticket = pick(index, from: last.tickets.filter { $0.state == .onHold }) else { return }
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
        case .advanceClock(let seconds):
            clock.advance(by: .seconds(seconds))
        case .maintain:
            try await rescue()
        case .restart(let autoSpawn, let cap):
            try await restart(policy: RoutingPolicy(autoSpawn: autoSpawn, maxRunningWorkers: cap))
        }
    }

    private func launchPending() async throws {
        for plan in try await database.pendingLaunches() {
            launches += 1
            try await database.recordLaunch(
                plan.worker.id,
                ProcessLaunch(pid: -launches, processStartedAt: nil, sessionId: "run-\(launches)", logPath: "log")
            )
            processes.insert(plan.worker.id)
        }
    }

    private func exit(_ worker: WorkerID, _ kind: SimulationStep.ExitKind) async throws {
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

    private func completeStale(_ index: Int, _ kind: SimulationStep.StaleKind) async throws {
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

    private func rescue() async throws {
        let now = clock.now
        let expiring = coordinatorClaims.filter { $0.lease < now }
        _ = try await database.rescueExpiredClaims()
        for claim in expiring {
            expectedFailures[claim.task, default: 0] += 1
        }
        coordinatorClaims.removeAll { $0.lease < now }
    }

    private func restart(policy: RoutingPolicy) async throws {
        // The server dies with every worker process; its claims return without using attempts.
        processes.removeAll()
        held.removeAll()
        database = try EnsembleDatabase.open(at: path, routing: policy, clock: clock)
        for worker in try await database.workersRecordedRunning()
        where worker.process.pid != nil || worker.status != .spawning {
            _ = try await database.recordExit(
                worker.id,
                exit: WorkerExit(termination: .signaled(9)),
                cause: .serverRestarted,
                lifecycle: lifecycle
            )
        }
        try await rescue()
    }

    private func forgetClaims(of ticket: TicketID) {
        held = held.filter { $0.value.ticket != ticket }
        coordinatorClaims.removeAll { $0.ticket == ticket }
    }

    // MARK: - Private: the checks

    private func check(after step: SimulationStep, refused: Bool) async throws {
        let snapshot = try await database.snapshot(knownEvents: last.events)
        var problems = EnsembleInvariants.violations(in: snapshot).map(\.description)
        let tasks = Dictionary(uniqueKeysWithValues: snapshot.tasks.map { ($0.id, $0) })
        for (worker, claim) in held {
            let task = tasks[claim.task]
            if task?.state != .claimed || task?.claimedBy != worker || task?.attempt != claim.attempt {
                problems.append(
                    "invariant 5: running \(worker)'s claim of task \(claim.task) (attempt \(claim.attempt)) was taken: "
                        + "\(task.map { "\($0.state.rawValue) by \($0.claimedBy?.rawValue ?? "nobody")" } ?? "gone")"
                )
            }
        }
        for task in snapshot.tasks where task.failures != expectedFailures[task.id] ?? 0 {
            problems.append(
                "invariant 4: task \(task.id) counts \(task.failures) failures, its work failed \(expectedFailures[task.id] ?? 0) times"
            )
        }
        for worker in snapshot.workers
        where (worker.status == .active || worker.status == .idle) != processes.contains(worker.id) {
            problems.append(
                "worker \(worker.id) is \(worker.status.rawValue) but its process \(processes.contains(worker.id) ? "runs" : "does not run")"
            )
        }
        if refused, snapshot != last {
            problems.append("the refused step \(step) changed the store")
        }
        last = snapshot
        if !problems.isEmpty { throw Failure(step: stepNumber, problems: problems) }
    }

    // MARK: - Private helpers

    private func pick<T>(_ index: Int, from items: [T]) -> T? {
        items.isEmpty ? nil : items[index % items.count]
    }

    private static func outcome(_ choice: Int) -> StageOutcome {
        switch choice {
        case 0..<7: .nextStage
        case 7, 8: .prevStage
        default: .needsAttention
        }
    }

    private static func completion(_ claim: Claim, attempt: Int) throws -> StageCompletion {
        try StageCompletion(ticketId: claim.ticket, taskId: claim.task, attempt: attempt, report: "stale report")
    }
}
