import EnsembleCore
import Foundation
import Testing

struct MergeRulesTests {
    private func ticket(rounds: Int = 0, maxRounds: Int = 2) -> Ticket {
        Ticket(
            ticketId: TicketID(uncheckedRawValue: "SHOP-1"),
            projectId: ProjectID(uncheckedRawValue: "acme/shop"),
            title: "t",
            description: "d",
            executionPlan: ["coder", "reviewer"].map(WorkerTypeName.init(uncheckedRawValue:)),
            currentStage: 1,
            lastCompletedStage: 1,
            state: .merging,
            reworkRounds: rounds,
            maxRounds: maxRounds,
            createdAt: Date(),
            updatedAt: Date()
        )
    }

    private func events(_ effects: [TicketEffect]) -> [EventType] {
        effects.compactMap { if case .record(let event) = $0 { event.type } else { nil } }
    }

    @Test func theLastStageOfAWorktreeTicketQueuesItForMergingInsteadOfClosingIt() {
        var open = ticket()
        open.state = .inProgress
        let merging = StageProgression.completion(
            of: open,
            stage: 1,
            task: TaskID(1),
            outcome: .nextStage,
            reason: nil,
            merges: true
        )
        #expect(merging.contains(.awaitMerge(lastCompletedStage: 1)))
        #expect(events(merging) == [.ticketStageCompleted])
        let closing = StageProgression.completion(of: open, stage: 1, task: TaskID(1), outcome: .nextStage, reason: nil)
        #expect(events(closing) == [.ticketStageCompleted, .ticketCompleted])
    }

    @Test func aLandedMergeClosesTheTicketAsCompletedNamingTheCommit() throws {
        let effects = MergeRules.merged(ticket(), commit: "abc123def4567890", baseBranch: "main")
        #expect(effects.first == .close(.completed, reason: nil, lastCompletedStage: 1))
        #expect(events(effects) == [.ticketMerged, .ticketCompleted])
        let merged = try #require(
            effects.compactMap { if case .record(let event) = $0, event.type == .ticketMerged { event } else { nil } }
                .first
        )
        #expect(merged.payload["commit"] == "abc123def4567890")
        #expect(merged.payload["branch"] == "vibe/SHOP-1")
        #expect(merged.reason == "merged into main as abc123def456")
    }

    @Test func aConflictGoesBackToItsStageAsAReworkRoundAndIsHeldPastMaxRounds() {
        let back = MergeRules.sendBack(ticket(), to: 0, because: .mergeConflict, reason: "conflicts in a.txt")
        #expect(back.first == .move(toStage: 0, lastCompletedStage: 1, reworkRounds: 1))
        #expect(back.contains(.enqueue(stage: 0)))
        #expect(events(back) == [.mergeConflict])
        let held = MergeRules.sendBack(ticket(rounds: 2), to: 0, because: .mergeCheckFailed, reason: "tests fail")
        #expect(held.contains(.hold) && !held.contains(.enqueue(stage: 0)))
        #expect(events(held) == [.mergeCheckFailed, .ticketNeedsAttention])
    }

    @Test func aConflictBelongsToTheLatestStageThatChangedOneOfItsFiles() {
        let changes = [
            MergeRules.StageChange(stage: 0, files: ["a.txt", "b.txt"]),
            MergeRules.StageChange(stage: 1, files: ["b.txt"]),
            MergeRules.StageChange(stage: 2, files: []),
            MergeRules.StageChange(stage: 0, files: ["c.txt"]),
        ]
        #expect(MergeRules.owner(of: ["a.txt"], among: changes) == 0)
        #expect(MergeRules.owner(of: ["b.txt", "z.txt"], among: changes) == 1)
        // No stage touched it (a check's failure names none): the last stage that changed anything.
        #expect(MergeRules.owner(of: ["z.txt"], among: changes) == 0)
        #expect(MergeRules.owner(of: [], among: Array(changes.prefix(3))) == 1)
        #expect(MergeRules.owner(of: ["a.txt"], among: []) == 0)
    }

    @Test func branchNamesStayValidRefsForEveryTicketID() {
        #expect(Worktree.branch(of: TicketID(uncheckedRawValue: "SHOP-12")) == "vibe/SHOP-12")
        #expect(Worktree.branch(of: TicketID(uncheckedRawValue: "a..b")) == "vibe/a._b")
        #expect(Worktree.branch(of: TicketID(uncheckedRawValue: "x.lock")) == "vibe/x.lock_")
        #expect(Worktree.branch(of: TicketID(uncheckedRawValue: "v1.")) == "vibe/v1._")
    }
}
