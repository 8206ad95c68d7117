import EnsembleCore
import EnsembleStore
import EnsembleTestSupport
import Foundation
import Testing

struct QueueStoreTests {
    private let coderQueue = QueueName(uncheckedRawValue: "queue_coder_1")
    private let coder = WorkerID(uncheckedRawValue: "worker_coder_1")

    private func report(_ ticket: Ticket, _ claim: ClaimedTask, attempt: Int? = nil, outcome: StageOutcome = .nextStage)
        throws -> StageCompletion
    {
        try StageCompletion(
            ticketId: ticket.ticketId,
            taskId: claim.taskId,
            attempt: attempt,
            report: "done",
            outcome: outcome,
            reason: outcome == .nextStage ? nil : "because"
        )
    }

    @Test func handsOutTasksByPriorityThenAge() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        let low = try await database.createTicket(Fixtures.ticket(plan: ["coder"], priority: .low))
        let urgent = try await database.createTicket(Fixtures.ticket(plan: ["coder"], priority: .urgent))
        let medium = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        #expect(
            try await database.recordTestLaunch(coder)
        )

        var order: [TicketID] = []
        for _ in 0..<3 {
            let claim = try #require(try await database.claimNextTask(in: coderQueue, by: coder))
            order.append(claim.ticketId)
            #expect(claim.attempt == 1)
            #expect(claim.leaseExpiresAt > Date())
            _ = try await database.completeStage(
                StageCompletion(ticketId: claim.ticketId, taskId: claim.taskId, report: "r"),
                by: coder
            )
        }
        #expect(try await database.claimNextTask(in: coderQueue, by: coder) == nil)

        #expect(order == [urgent.ticketId, medium.ticketId, low.ticketId])
        #expect(try await database.workerReport(coder).worker.status == .idle)
        #expect(try await database.ticketDetails(urgent.ticketId).ticket.state == .closed)
    }

    @Test func refusesCompletionsThatAreNotTheCurrentClaimAndChangesNothing() async throws {
        // Given a claimed task
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        let ticket = try await database.createTicket(Fixtures.ticket(plan: ["coder", "reviewer"]))
        let other = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        let claim = try #require(try await database.claimNextTask(in: coderQueue, by: coder))
        #expect(claim.ticketId == ticket.ticketId)

        // Then completions by another worker, for another attempt, another ticket or an unclaimed task fail
        await #expect(throws: EnsembleError.self) {
            try await database.completeStage(report(ticket, claim), by: WorkerID(uncheckedRawValue: "worker_coder_2"))
        }
        await #expect(throws: EnsembleError.staleClaim(claim.taskId, reason: "attempt 1 is current, not 2")) {
            try await database.completeStage(report(ticket, claim, attempt: 2), by: coder)
        }
        await #expect(throws: EnsembleError.taskOfOtherTicket(claim.taskId, other.ticketId)) {
            try await database.completeStage(report(other, claim), by: coder)
        }
        let queued = try #require(try await database.pendingTasks(in: coderQueue).first { $0.state == .queued })
        await #expect(throws: EnsembleError.taskNotClaimed(queued.id, state: .queued)) {
            try await database.completeStage(
                StageCompletion(ticketId: other.ticketId, taskId: queued.id, report: "r"),
                by: coder
            )
        }
        await #expect(throws: EnsembleError.noPreviousStage(ticket.ticketId)) {
            try await database.completeStage(report(ticket, claim, outcome: .prevStage), by: coder)
        }
        let details = try await database.ticketDetails(ticket.ticketId)
        #expect(details.comments.isEmpty)
        #expect(details.tasks.map(\.state) == [.claimed])
        #expect(details.ticket.currentStage == 0)
    }

    @Test func expiredClaimsAreRequeuedThenDiscardedAfterMaxAttempts() async throws {
        // Given a ticket whose task the coordinator claims by hand (a claim only a lease ends)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = ManualClock()
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path, clock: clock)
        let ticket = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        let coordinator = WorkerID(uncheckedRawValue: "coordinator")

        // Two claims expire and are requeued; the stale first attempt can no longer complete.
        let first = try #require(try await database.claimNextTask(in: coderQueue, by: coordinator))
        #expect(try await database.rescueExpiredClaims() == 0)
        clock.advance(by: .seconds(1_801))
        #expect(try await database.rescueExpiredClaims() == 1)
        let second = try #require(try await database.claimNextTask(in: coderQueue, by: coordinator))
        #expect(second.attempt == 2)
        await #expect(throws: EnsembleError.self) {
            try await database.completeStage(report(ticket, first, attempt: 1), by: coordinator)
        }
        clock.advance(by: .seconds(1_801))
        #expect(try await database.rescueExpiredClaims() == 1)

        // The third expiry uses up the attempts: the task is discarded and the ticket held.
        _ = try #require(try await database.claimNextTask(in: coderQueue, by: coordinator))
        clock.advance(by: .seconds(1_801))
        #expect(try await database.rescueExpiredClaims() == 1)
        let details = try await database.ticketDetails(ticket.ticketId)
        #expect(details.tasks.map(\.state) == [.discarded])
        #expect(details.tasks.first?.failures == 3)
        #expect(details.ticket.state == .onHold)
        let types = try await database.events(matching: EventQuery(limit: 100)).map(\.eventType)
        #expect(types.filter { $0 == .taskRequeued }.count == 2)
        #expect(types.last == .taskDiscarded)
        #expect(try await database.claimNextTask(in: coderQueue, by: coordinator) == nil)
    }

    @Test func aRunningWorkersClaimOutlivesItsLeaseAndAStopUsesNoAttempt() async throws {
        // Given a running coder holding a claim (no auto-spawn, so a stop leaves its task waiting)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = ManualClock()
        let database = try await TestStore.makeSeededDatabase(
            projectPath: directory.path,
            routing: RoutingPolicy(autoSpawn: false),
            clock: clock
        )
        let ticket = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        _ = try await database.requestWorker(
            coder,
            project: ticket.projectId,
            type: WorkerTypeName(uncheckedRawValue: "coder")
        )
        #expect(
            try await database.recordTestLaunch(coder)
        )
        _ = try #require(try await database.claimNextTask(in: coderQueue, by: coder))

        // When its lease runs out, the claim stays: the watchdog, not the lease, judges a live worker
        clock.advance(by: .seconds(100_000))
        #expect(try await database.rescueExpiredClaims() == 0)
        #expect(try await database.ticketDetails(ticket.ticketId).tasks.map(\.state) == [.claimed])

        // When the coordinator stops it three times, no attempt is used and the task is never discarded
        for _ in 0..<3 {
            _ = try await database.recordExit(
                coder,
                exit: WorkerExit(termination: .signaled(15)),
                cause: .stopRequested(reason: "stopped by the coordinator"),
                lifecycle: WorkerLifecycle()
            )
            _ = try await database.requestWorker(
                coder,
                project: ticket.projectId,
                type: WorkerTypeName(uncheckedRawValue: "coder")
            )
            #expect(
                try await database.recordTestLaunch(coder)
            )
            _ = try #require(try await database.claimNextTask(in: coderQueue, by: coder))
        }
        let task = try #require(try await database.ticketDetails(ticket.ticketId).tasks.first)
        #expect(task.state == .claimed)
        #expect(task.failures == 0)
        #expect(task.attempt == 4)
    }

    @Test func completingEveryStageClosesTheTicketWithItsStory() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        let ticket = try await database.createTicket(Fixtures.ticket(plan: ["coder", "reviewer"]))
        let reviewer = WorkerID(uncheckedRawValue: "worker_reviewer_1")
        let reviewQueue = QueueName(uncheckedRawValue: "queue_reviewer_1")

        let coded = try #require(try await database.claimNextTask(in: coderQueue, by: coder))
        let afterCode = try await database.completeStage(report(ticket, coded), by: coder)
        let review = try #require(try await database.claimNextTask(in: reviewQueue, by: reviewer))
        let sentBack = try await database.completeStage(report(ticket, review, outcome: .prevStage), by: reviewer)
        let recoded = try #require(try await database.claimNextTask(in: coderQueue, by: coder))
        _ = try await database.completeStage(report(ticket, recoded), by: coder)
        let rereview = try #require(try await database.claimNextTask(in: reviewQueue, by: reviewer))
        let closed = try await database.completeStage(report(ticket, rereview), by: reviewer)

        #expect(afterCode.nextStage == 1 && afterCode.nextWorkerType?.rawValue == "reviewer")
        #expect(sentBack.nextStage == 0 && sentBack.state == .open)
        #expect(closed.state == .closed && closed.nextStage == nil)
        let details = try await database.ticketDetails(ticket.ticketId)
        #expect(details.ticket.resolution == .completed)
        #expect(details.comments.map(\.workerId) == [coder, reviewer, coder, reviewer])
        let story = try await database.events(
            matching: EventQuery(types: [
                .ticketStageCompleted, .ticketSentBack, .ticketCompleted,
            ])
        ).map(\.eventType)
        #expect(
            story == [
                .ticketStageCompleted, .ticketSentBack, .ticketStageCompleted, .ticketStageCompleted, .ticketCompleted,
            ]
        )
    }

    @Test func needsAttentionHoldsTheTicketAndClosingDiscardsItsClaim() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        let held = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        let closing = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))

        let first = try #require(try await database.claimNextTask(in: coderQueue, by: coder))
        let result = try await database.completeStage(report(held, first, outcome: .needsAttention), by: coder)
        let second = try #require(try await database.claimNextTask(in: coderQueue, by: coder))
        _ = try await database.closeTicket(closing.ticketId, resolution: .stopped, reason: "dropped")

        #expect(result.state == .onHold)
        await #expect(throws: EnsembleError.ticketClosed(closing.ticketId)) {
            try await database.completeStage(report(closing, second), by: coder)
        }
        #expect(try await database.ticketDetails(closing.ticketId).tasks.map(\.state) == [.discarded])
        let attention = try await database.events(matching: EventQuery(types: [.ticketNeedsAttention]))
        #expect(attention.first?.reason == "because")
    }
}

extension QueueStoreTests {
    @Test func aWorkerHoldingAClaimGetsItBackInsteadOfAnother() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        _ = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        _ = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        let queue = QueueName(uncheckedRawValue: "queue_coder_1")
        let coder = WorkerID(uncheckedRawValue: "worker_coder_1")

        let first = try #require(try await database.claimNextTask(in: queue, by: coder))
        let again = try #require(try await database.claimNextTask(in: queue, by: coder))

        #expect(again.taskId == first.taskId && again.attempt == first.attempt)
        #expect(try await database.queueStatus(queue).counts == QueueCounts(queued: 1, claimed: 1))
    }
}
