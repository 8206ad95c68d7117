import EnsembleCore
import Foundation
import Testing

struct StageProgressionTests {
    private func ticket(stage: Int = 1, rounds: Int = 0, maxRounds: Int = 2) -> Ticket {
        Ticket(
            ticketId: TicketID(uncheckedRawValue: "SHOP-1"),
            projectId: ProjectID(uncheckedRawValue: "acme/shop"),
            title: "t",
            description: "d",
            executionPlan: ["planner", "coder", "reviewer"].map(WorkerTypeName.init(uncheckedRawValue:)),
            currentStage: stage,
            lastCompletedStage: stage - 1,
            reworkRounds: rounds,
            maxRounds: maxRounds,
            createdAt: Date(),
            updatedAt: Date()
        )
    }

    private func enqueued(_ effects: [TicketEffect]) -> [Int] {
        effects.compactMap { if case .enqueue(let stage) = $0 { stage } else { nil } }
    }

    private func events(_ effects: [TicketEffect]) -> [EventType] {
        effects.compactMap { if case .record(let event) = $0 { event.type } else { nil } }
    }

    @Test func aCompletionMovesOnOrClosesAfterTheLastStage() {
        let next = StageProgression.completion(
            of: ticket(),
            stage: 1,
            task: TaskID(1),
            outcome: .nextStage,
            reason: nil
        )
        #expect(enqueued(next) == [2])
        #expect(next.contains(.move(toStage: 2, lastCompletedStage: 1, reworkRounds: 0)))
        let last = StageProgression.completion(
            of: ticket(stage: 2),
            stage: 2,
            task: TaskID(2),
            outcome: .nextStage,
            reason: nil
        )
        #expect(enqueued(last).isEmpty)
        #expect(last.contains(.close(.completed, reason: nil, lastCompletedStage: 2)))
        #expect(events(last) == [.ticketStageCompleted, .ticketCompleted])
    }

    @Test func aSendBackCountsARoundAndHoldsPastMaxRounds() {
        let back = StageProgression.completion(
            of: ticket(stage: 2, rounds: 1),
            stage: 2,
            task: TaskID(1),
            outcome: .prevStage,
            reason: "fix"
        )
        #expect(enqueued(back) == [1])
        #expect(back.contains(.move(toStage: 1, lastCompletedStage: 1, reworkRounds: 2)))
        let held = StageProgression.completion(
            of: ticket(stage: 2, rounds: 2),
            stage: 2,
            task: TaskID(1),
            outcome: .prevStage,
            reason: "fix"
        )
        #expect(enqueued(held).isEmpty)
        #expect(held.first == .hold)
        #expect(events(held) == [.ticketNeedsAttention])
    }

    @Test func needsAttentionHoldsWithTheWorkersReason() {
        let effects = StageProgression.completion(
            of: ticket(),
            stage: 1,
            task: TaskID(1),
            outcome: .needsAttention,
            reason: "unclear spec"
        )
        #expect(effects.first == .hold)
        guard case .record(let event)? = effects.last else {
            Issue.record("no event")
            return
        }
        #expect(event.type == .ticketNeedsAttention)
        #expect(event.reason == "unclear spec")
    }

    @Test func theCoordinatorsOverrideDiscardsPendingWorkAndQueuesTheStageWithAFreshCount() throws {
        let effects = try StageProgression.override(ticket(stage: 2, rounds: 2), to: 1, readiness: .ready)
        guard case .discardLiveTasks? = effects.first else {
            Issue.record("pending work is not discarded first")
            return
        }
        #expect(effects.contains(.move(toStage: 1, lastCompletedStage: 1, reworkRounds: 0)))
        #expect(enqueued(effects) == [1])
        #expect(events(effects) == [.ticketStageUpdated])
    }

    @Test func closingDiscardsPendingWorkAndQueuesNothing() {
        let effects = StageProgression.close(ticket(), resolution: .stopped, reason: "dropped")
        #expect(enqueued(effects).isEmpty)
        #expect(effects.contains(.close(.stopped, reason: "dropped", lastCompletedStage: 0)))
        #expect(events(effects) == [.ticketClosed])
    }

    @Test func onlyFailuresUseAttemptsAndTheLastOneDiscards() {
        let now = Date()
        var task = QueueTask(
            id: TaskID(1),
            projectId: ProjectID(uncheckedRawValue: "a/b"),
            workerType: WorkerTypeName(uncheckedRawValue: "coder"),
            queueName: nil,
            ticketId: TicketID(uncheckedRawValue: "B-1"),
            stage: 0,
            state: .claimed,
            attempt: 5,
            maxAttempts: 3,
            claimedBy: nil,
            leaseExpiresAt: nil,
            priority: .medium,
            failures: 1,
            lastError: nil,
            createdAt: now,
            updatedAt: now
        )
        let stopped = ClaimRelease(of: task, cause: .interrupted("stopped"))
        #expect(stopped.failures == 1)
        #expect(!stopped.isDiscarded)
        #expect(stopped.event == .taskRequeued)
        task.failures = 2
        let crashed = ClaimRelease(of: task, cause: .workFailed("crashed"))
        #expect(crashed.failures == 3)
        #expect(crashed.isDiscarded)
        #expect(crashed.event == .taskDiscarded)
        #expect(crashed.reason.contains("discarded after 3 failed attempts"))
    }
}
