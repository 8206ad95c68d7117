import EnsembleCore
import EnsembleStore
import EnsembleTestSupport
import Testing

struct WorkerStoreTests {
    private let project = ProjectID(uncheckedRawValue: "acme/shop")
    private let coderType = WorkerTypeName(uncheckedRawValue: "coder")
    private let coder = WorkerID(uncheckedRawValue: "worker_coder_1")
    private let queue = QueueName(uncheckedRawValue: "queue_coder_1")

    /// A seeded store without auto-spawn, holding worker_coder_1 (marked to start).
    private func makeDatabaseWithCoder(projectPath: String) async throws -> EnsembleDatabase {
        let database = try await TestStore.makeSeededDatabase(
            projectPath: projectPath,
            routing: RoutingPolicy(autoSpawn: false)
        )
        _ = try await database.requestWorker(coder, project: project, type: coderType)
        return database
    }

    @Test func refusesBadSpawnRequestsAndRecordsNothing() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)

        await #expect(throws: EnsembleError.workerTypeNotFound(project, WorkerTypeName(uncheckedRawValue: "tester"))) {
            try await database.requestWorker(
                WorkerID(uncheckedRawValue: "worker_tester_1"),
                project: self.project,
                type: WorkerTypeName(uncheckedRawValue: "tester")
            )
        }
        await #expect(throws: EnsembleError.self) {
            try await database.requestWorker(
                WorkerID(uncheckedRawValue: "worker_planner_1"),
                project: self.project,
                type: self.coderType
            )
        }
        _ = try await database.requestWorker(coder, project: project, type: coderType)
        await #expect(throws: EnsembleError.workerAlreadyRunning(coder)) {
            try await database.requestWorker(self.coder, project: self.project, type: self.coderType)
        }
        #expect(try await database.listWorkers(in: nil).map(\.worker.id) == [coder])
    }

    @Test func theServersWorkerCapHoldsForEveryLaunchAndARefusalWritesNothing() async throws {
        // Given a server that runs at most one worker: worker_coder_1 ran and finished, a reviewer runs
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(
            projectPath: directory.path,
            routing: RoutingPolicy(autoSpawn: false, maxRunningWorkers: 1)
        )
        _ = try await database.requestWorker(coder, project: project, type: coderType)
        _ = try await database.recordTestLaunch(coder)
        _ = try await database.recordExit(
            coder,
            exit: WorkerExit(termination: .exited(code: 0)),
            cause: .ended,
            lifecycle: WorkerLifecycle()
        )
        let reviewer = WorkerID(uncheckedRawValue: "worker_reviewer_1")
        _ = try await database.requestWorker(
            reviewer,
            project: project,
            type: WorkerTypeName(uncheckedRawValue: "reviewer")
        )
        let ticket = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        let tasksBefore = try await database.ticketDetails(ticket.ticketId).tasks

        // When the coordinator asks for another worker, or assigns work to a queue that would start one
        let spawn = await #expect(throws: EnsembleError.self) {
            try await database.requestWorker(
                WorkerID(uncheckedRawValue: "worker_coder_2"),
                project: self.project,
                type: self.coderType
            )
        }
        let assign = await #expect(throws: EnsembleError.self) {
            try await database.assignTicket(ticket.ticketId, to: self.queue)
        }

        // Then both are refused with the cap named, and nothing was written
        #expect(spawn?.description.contains("--max-workers 1") == true)
        #expect(assign?.description.contains("--max-workers 1") == true)
        let workers = try await database.listWorkers(in: nil)
        #expect(workers.map(\.worker.id) == [coder, reviewer])
        #expect(workers.first?.worker.status == .finished)
        #expect(try await database.ticketDetails(ticket.ticketId).tasks == tasksBefore)
    }

    @Test func aWorkersActivityRenewsItsLeaseWithoutWakingEventWaiters() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await makeDatabaseWithCoder(projectPath: directory.path)
        _ = try await database.recordTestLaunch(coder)
        let before = database.eventBell.generation

        try await database.recordActivity(coder, leaseSeconds: 60)

        #expect(database.eventBell.generation == before)
        _ = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        #expect(database.eventBell.generation > before)
    }

    @Test func anExitReleasesClaimsAndAStopReroutesTheQueue() async throws {
        // Given a running coder holding one claim with another task queued, and auto-spawn off
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await makeDatabaseWithCoder(projectPath: directory.path)
        #expect(
            try await database.recordLaunch(
                coder,
                ProcessLaunch(pid: 4242, processStartedAt: "1", sessionId: "s", logPath: "l")
            )
        )
        let first = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        _ = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        _ = try #require(try await database.claimNextTask(in: queue, by: coder))

        // When it is stopped
        _ = try await database.recordExit(
            coder,
            exit: WorkerExit(
                termination: .signaled(15),
                summary: RunSummary(isError: false, totalCostUsd: 0.5, turns: 3)
            ),
            cause: .stopRequested(reason: "stopped by the coordinator"),
            lifecycle: WorkerLifecycle()
        )

        // Then its claim is requeued, both tasks go to the backlog, and the stop is recorded
        let report = try await database.workerReport(coder)
        #expect(report.worker.status == .stopped)
        #expect(report.worker.process.pid == nil)
        #expect(report.worker.process.exitSignal == 15)
        #expect(report.worker.usage.totalCostUsd == 0.5)
        #expect(report.queue.pending == 0)
        #expect(try await database.queueOverview().backlog.count == 2)
        #expect(try await database.ticketDetails(first.ticketId).ticket.state == .open)
        let types = try await database.events(matching: EventQuery(limit: 100)).map(\.eventType)
        #expect(types.contains(.taskRequeued))
        #expect(types.contains(.workerStopped))
    }

    @Test func deletingAQueueNeedsAStoppedWorkerAndKeepsItsTasks() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await makeDatabaseWithCoder(projectPath: directory.path)
        let ticket = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))

        await #expect(throws: EnsembleError.queueInUse(queue, worker: coder)) {
            try await database.deleteQueue(self.queue)
        }
        #expect(try await database.queueStatus(queue).counts.queued == 1)

        _ = try await database.recordExit(
            coder,
            exit: WorkerExit(termination: .exited(code: 0)),
            cause: .stopRequested(reason: "stopped by the coordinator"),
            lifecycle: WorkerLifecycle()
        )
        // The stop already put the queued task on the backlog; deleting the queue keeps it there.
        #expect(try await database.queueOverview().backlog.count == 1)
        #expect(try await database.deleteQueue(queue) == 0)
        await #expect(throws: EnsembleError.queueNotFound(queue)) { try await database.queueStatus(self.queue) }
        #expect(try await database.ticketDetails(ticket.ticketId).tasks.map(\.state) == [.queued])
        #expect(try await database.queueOverview().backlog.count == 1)
    }

    @Test func assigningChecksTheStageType() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await makeDatabaseWithCoder(projectPath: directory.path)
        let planned = try await database.createTicket(Fixtures.ticket(plan: ["planner", "coder"]))
        let coding = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))

        await #expect(throws: EnsembleError.self) { try await database.assignTicket(planned.ticketId, to: self.queue) }
        let task = try await database.assignTicket(coding.ticketId, to: queue)

        #expect(task.queueName == queue)
        #expect(try await database.ticketDetails(coding.ticketId).tasks.map(\.state) == [.queued])
    }
}
