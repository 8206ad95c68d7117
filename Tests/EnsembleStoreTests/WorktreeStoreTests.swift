import EnsembleCore
import EnsembleTestSupport
import Foundation
import Testing

@testable import EnsembleStore

/// The merge queue's records against the real store: a finished ticket waits in `merging` until
/// its merge lands or sends it back, each in one transaction, and what depends on it waits too.
struct WorktreeStoreTests {
    private let coder = WorkerID(uncheckedRawValue: "worker_coder_1")
    private let coderQueue = QueueName(uncheckedRawValue: "queue_coder_1")
    private let project = ProjectID(uncheckedRawValue: "acme/shop")

    /// A store whose project gives tickets worktrees.
    private func worktreeDatabase(_ directory: TemporaryDirectory) async throws -> EnsembleDatabase {
        let database = try TestStore.makeDatabase()
        var new = try Fixtures.project(path: directory.path)
        new.workspace = WorkspaceSettings(isolation: .worktree, baseBranch: "main")
        _ = try await database.createProject(new)
        _ = try await database.createWorkerType(Fixtures.workerType("coder"))
        return database
    }

    private func worktree(of ticket: TicketID) -> Worktree {
        Worktree(
            ticketId: ticket,
            projectId: project,
            branch: Worktree.branch(of: ticket),
            path: "/data/worktrees/acme+shop/\(ticket)",
            baseCommit: "base",
            createdAt: Date()
        )
    }

    private func expectInvariants(_ database: EnsembleDatabase) async throws {
        let violations = EnsembleInvariants.violations(in: try await database.snapshot())
        #expect(violations.isEmpty, "\(violations)")
    }

    /// Completes the coder's next stage with `commit` as the branch tip it left.
    private func completeNext(_ database: EnsembleDatabase, commit: String) async throws -> ClaimedTask {
        _ = try? await database.recordTestLaunch(coder)
        let claim = try #require(try await database.claimNextTask(in: coderQueue, by: coder))
        var completion = try StageCompletion(
            ticketId: claim.ticketId,
            taskId: claim.taskId,
            attempt: claim.attempt,
            report: "done"
        )
        completion.resultCommit = commit
        _ = try await database.completeStage(completion, by: coder)
        return claim
    }

    @Test func aFinishedTicketWaitsInMergingAndItsDependentWaitsUntilItLands() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await worktreeDatabase(directory)
        let first = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        var dependent = try Fixtures.ticket(plan: ["coder"])
        dependent.dependsOn = [first.ticketId]
        let second = try await database.createTicket(dependent)
        try await database.recordWorktree(worktree(of: first.ticketId))

        _ = try await completeNext(database, commit: "tip1")
        var details = try await database.ticketDetails(first.ticketId)
        #expect(details.ticket.state == .merging)
        #expect(details.ticket.lastCompletedStage == 0)
        #expect(try await database.stageCommits(of: first.ticketId).map(\.commit) == ["tip1"])
        #expect(try await database.ticketDetails(second.ticketId).ticket.state == .blocked)
        #expect(try await database.ticketsToMerge().map(\.ticketId) == [first.ticketId])
        try await expectInvariants(database)

        try await database.recordMerged(first.ticketId, commit: "merged1", baseBranch: "main")
        details = try await database.ticketDetails(first.ticketId)
        #expect(details.ticket.state == .closed && details.ticket.resolution == .completed)
        #expect(try await database.worktree(of: first.ticketId) == nil)
        let events = try await database.events(matching: EventQuery()).filter { $0.ticketId == first.ticketId }
        #expect(events.suffix(2).map(\.eventType) == [.ticketMerged, .ticketCompleted])
        #expect(events.last { $0.eventType == .ticketMerged }?.payload["commit"] == "merged1")
        let unblocked = try await database.ticketDetails(second.ticketId)
        #expect(unblocked.ticket.state == .open && unblocked.tasks.count == 1)
        // Landing again (a merge finished after a crash) changes nothing.
        try await database.recordMerged(first.ticketId, commit: "merged1", baseBranch: "main")
        #expect(
            try await database.events(matching: EventQuery()).filter { $0.ticketId == first.ticketId }.count
                == events.count
        )
        try await expectInvariants(database)
    }

    @Test func aConflictSendsTheTicketBackWithACommentAsAReworkRound() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await worktreeDatabase(directory)
        let ticket = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        try await database.recordWorktree(worktree(of: ticket.ticketId))
        _ = try await completeNext(database, commit: "tip1")

        try await database.noteMergeWaiting(ticket.ticketId, reason: "main has uncommitted changes")
        try await database.noteMergeWaiting(ticket.ticketId, reason: "main has uncommitted changes")
        let blocked = try await database.events(matching: EventQuery(types: [.mergeBlocked]))
        #expect(blocked.count == 1, "merge_blocked once per reason")

        try await database.sendBackFromMerge(
            ticket.ticketId,
            to: 0,
            because: .mergeConflict,
            reason: "merging into main conflicts in a.txt",
            comment: "Merge main and resolve a.txt."
        )
        let details = try await database.ticketDetails(ticket.ticketId)
        #expect(details.ticket.state == .open && details.ticket.currentStage == 0 && details.ticket.reworkRounds == 1)
        #expect(details.tasks.last?.state == .queued)
        #expect(details.comments.last?.content == "Merge main and resolve a.txt.")
        #expect(details.comments.last?.workerId.rawValue == "vibe-ensemble")
        let conflict = try #require(try await database.events(matching: EventQuery(types: [.mergeConflict])).first)
        #expect(conflict.reason == "merging into main conflicts in a.txt" && conflict.stage == 0)
        // Not merging any more: a late verdict is ignored.
        try await database.recordMerged(ticket.ticketId, commit: "late", baseBranch: "main")
        #expect(try await database.ticketDetails(ticket.ticketId).ticket.state == .open)
        try await expectInvariants(database)
    }

    @Test func aTicketWhoseWorktreeCannotBeMadeIsHeldWithoutUsingAnAttempt() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await worktreeDatabase(directory)
        let ticket = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        let claim = try #require(try await database.claimTaskForRun(coder))

        try await database.holdForWorkspace(ticket.ticketId, task: claim.taskId, reason: "worktree_setup failed: boom")
        let details = try await database.ticketDetails(ticket.ticketId)
        #expect(details.ticket.state == .onHold)
        #expect(details.tasks.map(\.state) == [.discarded] && details.tasks.map(\.failures) == [0])
        let event = try #require(try await database.events(matching: EventQuery(types: [.worktreeSetupFailed])).first)
        #expect(event.reason == "worktree_setup failed: boom")
        // The coordinator fixes the setup and resumes: the stage is queued again.
        _ = try await database.updateStage(of: ticket.ticketId, to: .index(0))
        #expect(try await database.ticketDetails(ticket.ticketId).tasks.last?.state == .queued)
        try await expectInvariants(database)
    }
}
