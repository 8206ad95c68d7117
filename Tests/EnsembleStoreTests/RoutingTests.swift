import EnsembleCore
import EnsembleStore
import EnsembleTestSupport
import Testing

struct RoutingTests {
    private let project = ProjectID(uncheckedRawValue: "acme/shop")
    private let coderType = WorkerTypeName(uncheckedRawValue: "coder")

    private func queueOf(_ ticket: Ticket, in database: EnsembleDatabase) async throws -> String? {
        try await database.ticketDetails(ticket.ticketId).tasks.last?.queueName?.rawValue
    }

    @Test func spawnsUpToMaxWorkersThenSharesTheShortestQueue() async throws {
        // Given coders may run two at a time
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        _ = try await database.updateWorkerType(coderType, in: project, with: WorkerTypeUpdate(maxWorkers: 2))

        // When three coder tickets arrive
        let first = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        let second = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        let third = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))

        // Then two workers are marked to start and the third task joins the shorter queue
        #expect(try await queueOf(first, in: database) == "queue_coder_1")
        #expect(try await queueOf(second, in: database) == "queue_coder_2")
        #expect(try await queueOf(third, in: database) == "queue_coder_1")
        let launches = try await database.pendingLaunches().map(\.worker.id.rawValue)
        #expect(launches == ["worker_coder_1", "worker_coder_2"])
    }

    @Test func withoutAutoSpawnTasksWaitOnTheBacklogUntilAWorkerIsSpawned() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(
            projectPath: directory.path,
            routing: RoutingPolicy(autoSpawn: false)
        )
        let ticket = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))

        #expect(try await queueOf(ticket, in: database) == nil)
        #expect(try await database.queueOverview().backlog.count == 1)
        let waiting = try await database.events(matching: EventQuery(types: [.ticketWaitingForWorker]))
        #expect(waiting.first?.reason?.contains("auto-spawn is off") == true)

        let worker = try await database.requestWorker(
            WorkerID(uncheckedRawValue: "worker_coder_7"),
            project: project,
            type: coderType
        )
        #expect(worker.status == .spawning)
        #expect(try await queueOf(ticket, in: database) == "queue_coder_7")
        #expect(try await database.queueOverview().backlog.isEmpty)
    }

    @Test func aTaskWaitingForTheSameReasonIsNotRewrittenByLaterPasses() async throws {
        // Given a task waiting on the backlog (auto-spawn is off), at a fixed time
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = ManualClock()
        let database = try await TestStore.makeSeededDatabase(
            projectPath: directory.path,
            routing: RoutingPolicy(autoSpawn: false),
            clock: clock
        )
        let ticket = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        let waiting = try #require(try await database.ticketDetails(ticket.ticketId).tasks.last)

        // When the maintenance pass and other writes run later
        clock.advance(by: .seconds(60))
        _ = try await database.rescueExpiredClaims()
        _ = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))

        // Then the waiting task is as it was: no write on a pass that decides nothing new
        let after = try #require(try await database.ticketDetails(ticket.ticketId).tasks.last)
        #expect(after == waiting)
        let events = try await database.events(matching: EventQuery(types: [.ticketWaitingForWorker]))
        #expect(events.filter { $0.ticketId == ticket.ticketId }.count == 1)
    }

    @Test func reusesAFinishedWorkerBeforeNumberingANewOne() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        let coder = WorkerID(uncheckedRawValue: "worker_coder_1")
        _ = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        #expect(
            try await database.recordTestLaunch(coder)
        )
        let queue = QueueName(uncheckedRawValue: "queue_coder_1")
        let claim = try #require(try await database.claimNextTask(in: queue, by: coder))
        _ = try await database.completeStage(
            StageCompletion(ticketId: claim.ticketId, taskId: claim.taskId, report: "r"),
            by: coder
        )
        _ = try await database.recordExit(
            coder,
            exit: WorkerExit(termination: .exited(code: 0)),
            cause: .ended,
            lifecycle: WorkerLifecycle()
        )

        let next = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))

        #expect(try await queueOf(next, in: database) == "queue_coder_1")
        #expect(try await database.workerReport(coder).worker.status == .spawning)
        #expect(try await database.listWorkers(in: nil).count == 1)
    }

    @Test func aCrashLoopedTypeWaitsForTheCoordinator() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        let coder = WorkerID(uncheckedRawValue: "worker_coder_1")
        let ticket = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))

        _ = try await database.recordExit(
            coder,
            exit: WorkerExit(termination: .exited(code: 1)),
            cause: .ended,
            lifecycle: WorkerLifecycle(maximumQuickFailures: 1)
        )

        #expect(try await queueOf(ticket, in: database) == nil)
        let waiting = try await database.events(matching: EventQuery(types: [.ticketWaitingForWorker]))
        #expect(waiting.last?.reason?.contains("revive it with spawn_worker") == true)
        #expect(try await database.pendingLaunches().isEmpty)
    }
}
