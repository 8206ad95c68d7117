import EnsembleCore
import EnsembleStore
import EnsembleTestSupport
import Foundation
import Testing

/// One test per way work used to be lost (the review's findings 1–3, 7, 12, 14, 20, 28), each of
/// which failed on the store before the rules moved into the core.
struct NothingStrandedTests {
    private let project = ProjectID(uncheckedRawValue: "acme/shop")
    private let coder = WorkerID(uncheckedRawValue: "worker_coder_1")
    private let coderQueue = QueueName(uncheckedRawValue: "queue_coder_1")
    private let coderType = WorkerTypeName(uncheckedRawValue: "coder")
    private let lifecycle = WorkerLifecycle()

    private func launch(_ worker: WorkerID, in database: EnsembleDatabase) async throws {
        #expect(
            try await database.recordTestLaunch(worker)
        )
    }

    private func complete(
        _ claim: ClaimedTask,
        by worker: WorkerID,
        outcome: StageOutcome = .nextStage,
        in database: EnsembleDatabase
    ) async throws -> StageCompletionResult {
        try await database.completeStage(
            StageCompletion(
                ticketId: claim.ticketId,
                taskId: claim.taskId,
                attempt: claim.attempt,
                report: "r",
                outcome: outcome
            ),
            by: worker
        )
    }

    private func exit(_ worker: WorkerID, code: Int32 = 0, in database: EnsembleDatabase) async throws
        -> WorkerLifecycle.Decision?
    {
        try await database.recordExit(
            worker,
            exit: WorkerExit(termination: .exited(code: code)),
            cause: .ended,
            lifecycle: lifecycle
        )
    }

    @Test func theBacklogIsRoutedAsSoonAsTheCapFrees() async throws {
        // Given --max-workers 1: a coder runs, a reviewer ticket waits on the backlog
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(
            projectPath: directory.path,
            routing: RoutingPolicy(maxRunningWorkers: 1)
        )
        _ = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        let review = try await database.createTicket(Fixtures.ticket(plan: ["reviewer"]))
        #expect(try await database.queueOverview().backlog.map(\.ticketId) == [review.ticketId])
        let waiting = try await database.events(matching: EventQuery(types: [.ticketWaitingForWorker]))
        #expect(waiting.map(\.reason) == [WaitReason.globalCap(limit: 1).description])

        // When the coder finishes its ticket and exits
        try await launch(coder, in: database)
        let claim = try #require(try await database.claimNextTask(in: coderQueue, by: coder))
        _ = try await complete(claim, by: coder, in: database)
        #expect(try await exit(coder, in: database)?.resolution == .finished)

        // Then the reviewer is started for the waiting ticket without anyone calling spawn_worker
        let launches = try await database.pendingLaunches().map(\.worker.id.rawValue)
        #expect(launches == ["worker_reviewer_1"])
        #expect(try await database.queueOverview().backlog.isEmpty)
    }

    @Test func updatingTheStageOfAHeldTicketQueuesItAgain() async throws {
        // Given a ticket a coder put on hold
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        let ticket = try await database.createTicket(Fixtures.ticket(plan: ["coder", "reviewer"]))
        try await launch(coder, in: database)
        let claim = try #require(try await database.claimNextTask(in: coderQueue, by: coder))
        _ = try await complete(claim, by: coder, outcome: .needsAttention, in: database)
        #expect(try await database.ticketDetails(ticket.ticketId).ticket.state == .onHold)

        // When the coordinator resumes it at the review stage, as the guide says
        let moved = try await database.updateStage(of: ticket.ticketId, to: .index(1))

        // Then the stage is queued and routed, and a reviewer is started for it
        #expect(moved.state == .open)
        let task = try #require(try await database.ticketDetails(ticket.ticketId).tasks.last)
        #expect(task.state == .queued)
        #expect(task.stage == 1)
        #expect(task.queueName?.rawValue == "queue_reviewer_1")
        #expect(try await database.pendingLaunches().map(\.worker.id.rawValue) == ["worker_reviewer_1"])
    }

    @Test func aHandChosenIDAtIntMaxLeavesGeneratedIDsAlone() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.appending("ensemble.db")
        let database = try EnsembleDatabase.open(at: path)
        _ = try await database.createProject(Fixtures.project(path: directory.path))
        _ = try await database.createWorkerType(Fixtures.workerType("coder"))
        _ = try await database.createTicket(Fixtures.ticket(id: "SHOP-9223372036854775807", plan: ["coder"]))
        _ = try await database.createTicket(Fixtures.ticket(id: "SHOP-41", plan: ["coder"]))

        let generated = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        let reopened = try EnsembleDatabase.open(at: path)
        let after = try await reopened.createTicket(Fixtures.ticket(plan: ["coder"]))

        #expect(generated.ticketId.rawValue == "SHOP-42")
        #expect(after.ticketId.rawValue == "SHOP-43")
    }

    @Test func aWorkerThatExitsAsATaskArrivesIsStartedAgainNotFinished() async throws {
        // Given a coder that found its queue empty (idle) and is exiting
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        _ = try await database.requestWorker(coder, project: project, type: coderType)
        try await launch(coder, in: database)
        #expect(try await database.claimNextTask(in: coderQueue, by: coder) == nil)

        // When a task is routed to it before its exit is recorded
        let ticket = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        #expect(try await database.ticketDetails(ticket.ticketId).tasks.first?.queueName == coderQueue)
        let decision = try await exit(coder, in: database)

        // Then the exit sees the task: the worker starts again instead of finishing with work on its queue
        guard case .respawn? = decision?.resolution else {
            Issue.record("expected a re-spawn, got \(String(describing: decision))")
            return
        }
        #expect(try await database.workerReport(coder).worker.status == .spawning)
    }

    @Test func aQueueOfAnotherProjectCannotTakeATicketAndAReusedNameInheritsNoTicket() async throws {
        // Given two projects that both have coders, and a coder of acme/web
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(
            projectPath: directory.path,
            routing: RoutingPolicy(autoSpawn: false)
        )
        _ = try await database.createProject(Fixtures.project("acme/web", path: directory.path))
        _ = try await database.createWorkerType(Fixtures.workerType("coder", in: "acme/web"))
        let webCoder = WorkerID(uncheckedRawValue: "worker_coder_2")
        let web = ProjectID(uncheckedRawValue: "acme/web")
        _ = try await database.requestWorker(webCoder, project: web, type: coderType)
        let shopTicket = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))

        // Then the shop ticket cannot be put on the web coder's queue
        let webQueue = WorkerNaming.queueName(for: webCoder)
        await #expect(throws: EnsembleError.queueOfOtherProject(webQueue, project: web, ticket: shopTicket.ticketId)) {
            try await database.assignTicket(shopTicket.ticketId, to: webQueue)
        }

        // Given a shop coder that did the ticket, then was stopped and its queue deleted
        _ = try await database.requestWorker(coder, project: project, type: coderType)
        try await launch(coder, in: database)
        let claim = try #require(try await database.claimNextTask(in: coderQueue, by: coder))
        _ = try await complete(claim, by: coder, in: database)
        _ = try await database.recordExit(
            coder,
            exit: WorkerExit(termination: .exited(code: 0)),
            cause: .stopRequested(reason: "stopped"),
            lifecycle: lifecycle
        )
        #expect(try await database.queue(coderQueue, hasTaskOf: shopTicket.ticketId))
        _ = try await database.deleteQueue(coderQueue)

        // When another project's worker later gets the same name, it sees none of those tickets
        _ = try await database.requestWorker(coder, project: web, type: coderType)
        #expect(try await !database.queue(coderQueue, hasTaskOf: shopTicket.ticketId))
    }

    @Test func aReworkLoopIsHeldAfterMaxRounds() async throws {
        // Given a ticket that may be sent back once
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        var new = try Fixtures.ticket(plan: ["coder", "reviewer"])
        new.maxRounds = 1
        let ticket = try await database.createTicket(new)
        let reviewer = WorkerID(uncheckedRawValue: "worker_reviewer_1")
        let reviewQueue = QueueName(uncheckedRawValue: "queue_reviewer_1")
        try await launch(coder, in: database)

        // When the reviewer sends it back twice
        for round in 1...2 {
            let coding = try #require(try await database.claimNextTask(in: coderQueue, by: coder))
            _ = try await complete(coding, by: coder, in: database)
            if round == 1 { try await launch(reviewer, in: database) }
            let review = try #require(try await database.claimNextTask(in: reviewQueue, by: reviewer))
            let result = try await complete(review, by: reviewer, outcome: .prevStage, in: database)
            #expect(result.state == (round == 1 ? .open : .onHold))
        }

        // Then the second send-back holds the ticket for the coordinator instead of looping
        let details = try await database.ticketDetails(ticket.ticketId)
        #expect(details.ticket.state == .onHold)
        #expect(details.ticket.reworkRounds == 1)
        #expect(details.tasks.allSatisfy { !$0.isLive })
        let held = try await database.events(matching: EventQuery(types: [.ticketNeedsAttention]))
        #expect(held.first?.reason?.contains("max_rounds") == true)

        // And the coordinator's override resumes it with a fresh count
        let resumed = try await database.updateStage(of: ticket.ticketId, to: .index(0))
        #expect(resumed.reworkRounds == 0)
        #expect(resumed.state == .open)
    }

    @Test func aRefusedCompletionIsNoProgress() async throws {
        // Given a coder whose only completion is refused (it never held the task)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        let ticket = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        let task = try #require(try await database.ticketDetails(ticket.ticketId).tasks.first)
        try await launch(coder, in: database)
        await #expect(throws: EnsembleError.self) {
            try await database.completeStage(
                StageCompletion(ticketId: ticket.ticketId, taskId: task.id, report: "r"),
                by: self.coder
            )
        }

        // When it exits with the task still queued, three times
        var decisions: [WorkerLifecycle.Decision?] = []
        for run in 1...3 {
            decisions.append(try await exit(coder, code: 1, in: database))
            if run < 3 { try await launch(coder, in: database) }
        }

        // Then each run counts as a failure, and the third retires it instead of re-spawning at once
        #expect(decisions.map { $0?.quickFailures } == [1, 2, 3])
        #expect(decisions.first??.respawnDelay == .seconds(1))
        guard case .failed(_, true)? = decisions.last??.resolution else {
            Issue.record("expected a blocking failure, got \(String(describing: decisions.last))")
            return
        }
    }

    @Test func autoSpawnNeverNumbersPastSixDigits() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        let last = WorkerID(uncheckedRawValue: "worker_coder_999999")
        _ = try await database.requestWorker(last, project: project, type: coderType)
        _ = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        try await launch(last, in: database)
        _ = try #require(try await database.claimNextTask(in: WorkerNaming.queueName(for: last), by: last))
        _ = try await database.updateWorkerType(coderType, in: project, with: WorkerTypeUpdate(maxWorkers: 2))

        // A second ticket needs a second coder: it gets the lowest free number, not 1000000
        let ticket = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        #expect(try await database.ticketDetails(ticket.ticketId).tasks.first?.queueName == coderQueue)
        await #expect(throws: EnsembleError.self) {
            try await database.requestWorker(
                WorkerID(uncheckedRawValue: "worker_coder_1000000"),
                project: self.project,
                type: self.coderType
            )
        }
    }

    @Test func aCoordinatorClaimInADeletedQueueIsRoutedWhenItsLeaseEnds() async throws {
        // Given the coordinator holding a claim on a coder's queue
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = ManualClock()
        let database = try await TestStore.makeSeededDatabase(
            projectPath: directory.path,
            routing: RoutingPolicy(autoSpawn: false),
            clock: clock
        )
        let ticket = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        _ = try await database.requestWorker(coder, project: project, type: coderType)
        let coordinator = WorkerID(uncheckedRawValue: "coordinator")
        _ = try #require(try await database.claimNextTask(in: coderQueue, by: coordinator))

        // When the coder is stopped and its queue deleted, then the claim's lease ends
        _ = try await database.recordExit(
            coder,
            exit: WorkerExit(termination: .exited(code: 0)),
            cause: .stopRequested(reason: "stopped"),
            lifecycle: lifecycle
        )
        _ = try await database.deleteQueue(coderQueue)
        clock.advance(by: .seconds(3600))
        #expect(try await database.rescueExpiredClaims() == 1)

        // Then the task waits on the backlog with its reason, and a new coder takes it
        let task = try #require(try await database.ticketDetails(ticket.ticketId).tasks.first)
        #expect(task.state == .queued)
        #expect(task.queueName == nil)
        #expect(task.waitingReason == WaitReason.autoSpawnOff(coderType).description)
        _ = try await database.requestWorker(
            WorkerID(uncheckedRawValue: "worker_coder_2"),
            project: project,
            type: coderType
        )
        #expect(try await database.ticketDetails(ticket.ticketId).tasks.first?.queueName?.rawValue == "queue_coder_2")
    }

    @Test func aTaskWaitingBehindABusyWorkerMovesWhenCapacityFrees() async throws {
        // Given --max-workers 2, coders may run two at a time, a coder and a reviewer running
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(
            projectPath: directory.path,
            routing: RoutingPolicy(maxRunningWorkers: 2)
        )
        _ = try await database.updateWorkerType(coderType, in: project, with: WorkerTypeUpdate(maxWorkers: 2))
        _ = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        _ = try await database.createTicket(Fixtures.ticket(plan: ["reviewer"]))
        let reviewer = WorkerID(uncheckedRawValue: "worker_reviewer_1")
        try await launch(coder, in: database)
        try await launch(reviewer, in: database)
        _ = try #require(try await database.claimNextTask(in: coderQueue, by: coder))

        // A second coder ticket can only wait behind the busy coder: the cap allows no second one
        let parked = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        #expect(try await database.ticketDetails(parked.ticketId).tasks.first?.queueName == coderQueue)

        // When the reviewer finishes and exits, the cap frees: a second coder starts on it at once
        let review = try #require(
            try await database.claimNextTask(in: QueueName(uncheckedRawValue: "queue_reviewer_1"), by: reviewer)
        )
        _ = try await complete(review, by: reviewer, in: database)
        _ = try await exit(reviewer, in: database)
        let task = try #require(try await database.ticketDetails(parked.ticketId).tasks.first)
        #expect(task.queueName?.rawValue == "queue_coder_2")
        #expect(try await database.pendingLaunches().map(\.worker.id.rawValue) == ["worker_coder_2"])
    }

    @Test func aCoordinatorClaimLeavesTheWorkersQueueSoTheWorkerCanFinish() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        let ticket = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        try await launch(coder, in: database)
        _ = try #require(
            try await database.claimNextTask(in: coderQueue, by: WorkerID(uncheckedRawValue: "coordinator"))
        )

        // Asking again gives the coordinator the same claim, not a second task
        let again = try #require(
            try await database.claimNextTask(in: coderQueue, by: WorkerID(uncheckedRawValue: "coordinator"))
        )
        #expect(again.attempt == 1)

        // The worker finds its queue empty, stays the queue's owner, and finishes instead of looping
        #expect(try await database.claimNextTask(in: coderQueue, by: coder) == nil)
        #expect(try await exit(coder, in: database)?.resolution == .finished)
        #expect(try await database.ticketDetails(ticket.ticketId).tasks.first?.queueName == nil)
    }

    @Test func aWorkerStoppedBeforeItsProcessStartedIsNotRecordedAsRunning() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        _ = try await database.requestWorker(coder, project: project, type: coderType)
        _ = try await database.recordExit(
            coder,
            exit: WorkerExit(termination: .exited(code: 0)),
            cause: .stopRequested(reason: "stopped before its process started"),
            lifecycle: lifecycle
        )

        let recorded = try await database.recordLaunch(
            coder,
            ProcessLaunch(pid: 9, processStartedAt: nil, sessionId: "late", logPath: "l")
        )
        #expect(!recorded)
        #expect(try await database.workerReport(coder).worker.status == .stopped)
        #expect(try await database.events(matching: EventQuery(types: [.workerSpawned])).isEmpty)
    }

    @Test func anAssignedTaskStaysWhereTheCoordinatorPutIt() async throws {
        // Given a busy coder and an idle one
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(
            projectPath: directory.path,
            routing: RoutingPolicy(autoSpawn: false)
        )
        _ = try await database.requestWorker(coder, project: project, type: coderType)
        _ = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        try await launch(coder, in: database)
        _ = try #require(try await database.claimNextTask(in: coderQueue, by: coder))
        let idle = WorkerID(uncheckedRawValue: "worker_coder_2")
        _ = try await database.requestWorker(idle, project: project, type: coderType)
        let ticket = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        #expect(try await database.ticketDetails(ticket.ticketId).tasks.first?.queueName?.rawValue == "queue_coder_2")

        // When the coordinator puts the ticket behind the busy coder on purpose
        let assigned = try await database.assignTicket(ticket.ticketId, to: coderQueue)
        _ = try await database.createTicket(Fixtures.ticket(plan: ["planner"]))

        // Then routing leaves it there, though the idle coder could start it
        #expect(assigned.isPinned)
        #expect(try await database.ticketDetails(ticket.ticketId).tasks.first?.queueName == coderQueue)
    }
}
