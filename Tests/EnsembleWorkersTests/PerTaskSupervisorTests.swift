import EnsembleCore
import EnsembleStore
import EnsembleTestSupport
import EnsembleWorkers
import Foundation
import Synchronization
import Testing

/// Workers whose type runs a Claude Code session per task, against a real in-memory store and a
/// scripted fake launcher whose pretend processes call the store as a worker's tools do.
struct PerTaskSupervisorTests {
    private let coder = WorkerID(uncheckedRawValue: "worker_coder_1")
    private let queue = QueueName(uncheckedRawValue: "queue_coder_1")

    /// Runs the supervisor until the coder finishes.
    private func superviseUntilFinished(_ database: EnsembleDatabase, _ launcher: FakeProcessLauncher) async throws {
        let logs = try TemporaryDirectory("logs")
        defer { logs.remove() }
        let supervisor = TestSupervisor.make(store: database, launcher: launcher, logDirectory: logs.path)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await supervisor.run() }
            await supervisor.launchPending()
            try await EventWaiter.waitFor(in: database) { $0.contains { $0.eventType == .workerFinished } }
            group.cancelAll()
        }
    }

    @Test func eachTaskRunsInAProcessOfItsOwnStartedForItAndTheWorkerFinishesWithTheQueue() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path, session: .perTask)
        let first = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        let second = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        let (coder, queue) = (coder, queue)
        let seen = Mutex<[TicketID]>([])
        // Each pretend process does what the real worker does: get_next_task (the claim held for
        // it), complete the stage, and get_next_task again, which has nothing more for this run.
        let launcher = FakeProcessLauncher([
            .work { _ in
                guard let claim = try? await database.completeNextStage(in: queue, by: coder) else { return 3 }
                seen.withLock { $0.append(claim.ticketId) }
                return (try? await database.claimNextTask(in: queue, by: coder)) == .some(nil) ? 0 : 4
            }
        ])
        try await superviseUntilFinished(database, launcher)

        #expect(seen.withLock { $0 } == [first.ticketId, second.ticketId])
        let commands = launcher.commands
        #expect(commands.count == 2)
        for (command, ticket) in zip(commands, [first, second]) {
            let prompt = try #require(command.arguments.firstIndex(of: "-p").map { command.arguments[$0 + 1] })
            #expect(prompt.contains("ticket \(ticket.ticketId)"), "\(prompt)")
        }
        let sessions = commands.compactMap { command in
            command.arguments.firstIndex(of: "--session-id").map { command.arguments[$0 + 1] }
        }
        #expect(Set(sessions).count == 2)
        let runs = try await database.runs(by: coder)
        #expect(runs.map(\.runId) == sessions)
        #expect(runs.map(\.ticketId) == [first.ticketId, second.ticketId])
        #expect(runs.allSatisfy { $0.endedAt != nil && $0.exitCode == 0 && $0.taskId != nil })
        let spawned = try await database.events(matching: EventQuery(types: [.workerSpawned]))
        #expect(spawned.count == 1, "one worker_spawned for the streak, not one per task")
        #expect(try await database.workerReport(coder).worker.status == .finished)
        for ticket in [first, second] {
            let details = try await database.ticketDetails(ticket.ticketId)
            #expect(details.ticket.state == .closed)
            #expect(details.ticket.usage.runs == 1)
            #expect(details.stages.map(\.usage.runs) == [1])
        }
    }

    @Test func aWorkerWithNothingQueuedStartsNoProcessAndFinishes() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path, session: .perTask)
        _ = try await database.requestWorker(
            coder,
            project: ProjectID(uncheckedRawValue: "acme/shop"),
            type: WorkerTypeName(uncheckedRawValue: "coder")
        )
        let launcher = FakeProcessLauncher([.exit(code: 0)])
        try await superviseUntilFinished(database, launcher)

        #expect(launcher.commands.isEmpty)
        let finished = try await database.events(matching: EventQuery(types: [.workerFinished]))
        #expect(finished.first?.reason == "had no task left to start")
        #expect(try await database.runs(by: coder).isEmpty)
    }

    @Test func aRunThatDiesBeforeCompletingGivesItsTaskBackAndTheRetryIsAFreshRun() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path, session: .perTask)
        let ticket = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        let (coder, queue) = (coder, queue)
        let launcher = FakeProcessLauncher([
            .exit(code: 1),
            .work { _ in (try? await database.completeNextStage(in: queue, by: coder)) == nil ? 4 : 0 },
        ])
        try await superviseUntilFinished(database, launcher)

        let runs = try await database.runs(of: ticket.ticketId)
        #expect(runs.map(\.exitCode) == [1, 0])
        #expect(Set(runs.map(\.runId)).count == 2)
        let details = try await database.ticketDetails(ticket.ticketId)
        #expect(details.ticket.state == .closed)
        #expect(details.tasks.map(\.attempt) == [2])
        #expect(details.stages.first?.usage.runs == 2)
    }
}
