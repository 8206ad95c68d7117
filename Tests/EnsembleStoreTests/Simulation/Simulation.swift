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
    struct Claim {
        var task: TaskID
        var attempt: Int
        var ticket: TicketID
        var lease: Date
    }

    static let projects: [(id: ProjectID, types: [WorkerTypeName])] = [
        (ProjectID(uncheckedRawValue: "acme/shop"), ["planner", "coder", "reviewer"].map(WorkerTypeName.init)),
        (ProjectID(uncheckedRawValue: "acme/web"), ["coder", "tester"].map(WorkerTypeName.init)),
    ]
    static let coordinator = WorkerID(uncheckedRawValue: "coordinator")

    let directory: TemporaryDirectory
    let path: String
    let clock: ManualClock
    let lifecycle = WorkerLifecycle(maximumQuickFailures: 3)
    var database: EnsembleDatabase
    var processes: Set<WorkerID> = []
    var held: [WorkerID: Claim] = [:]
    var coordinatorClaims: [Claim] = []
    var expectedFailures: [TaskID: Int] = [:]
    var launches: Int32 = 0
    var last: EnsembleSnapshot
    var stepNumber = 0

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
            var new = try Fixtures.project(project.id.rawValue, path: directory.path)
            // acme/shop's tickets get worktrees: a finished one waits in `merging` for the merge step.
            if index == 0 { new.workspace = WorkspaceSettings(isolation: .worktree, baseBranch: "main") }
            _ = try await database.createProject(new)
            for type in project.types {
                var new = try Fixtures.workerType(type.rawValue, in: project.id.rawValue)
                new.settings.stageTimeoutSeconds = index == 0 ? 60 : 1_800
                // Only acme/shop's planners may declare tickets; the other types are refused.
                new.settings.canCreateTickets = index == 0 && type.rawValue == "planner"
                // acme/shop's workers start a session per task, the others work their queue in one.
                new.settings.session = index == 0 ? .perTask : .perQueue
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
    /// Workers claim and complete, and exit when their queue is empty; the merge queue lands what
    /// waits in it; the coordinator resumes held tickets, revives failed workers and serves the backlog. Nothing is stranded if that
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
            // The merge queue lands whatever waits in it.
            for _ in last.tickets.filter({ $0.state == .merging }) { try await run(.merge(ticket: 0, outcome: 0)) }
            for _ in last.tickets.filter({ $0.state == .onHold }) { try await run(.resume(ticket: 0)) }
            for _ in last.workers.filter({ $0.status == .failed }) { try await run(.revive(worker: 0)) }
            try await run(.serveBacklog)
            while !coordinatorClaims.isEmpty { try await run(.coordinatorComplete(claim: 0, outcome: 0)) }
        }
        let open = last.tickets.filter { $0.state != .closed }.map { "\($0.ticketId) \($0.state.rawValue)" }
        throw Failure(step: stepNumber, problems: ["tickets stranded after draining: \(open.joined(separator: ", "))"])
    }

    // MARK: - Checks

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

}
