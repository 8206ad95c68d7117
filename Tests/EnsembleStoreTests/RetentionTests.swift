import EnsembleCore
import EnsembleStore
import EnsembleTestSupport
import Foundation
import Testing

struct RetentionTests {
    private let coder = WorkerID(uncheckedRawValue: "worker_coder_1")
    private let coderQueue = QueueName(uncheckedRawValue: "queue_coder_1")

    @Test func prunesOldEventsAndEndedTasksButNeverLiveWorkOrTheRecord() async throws {
        // Given a ticket whose first stage ended 40 days ago and whose second stage still waits
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let clock = ManualClock()
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path, clock: clock)
        let ticket = try await database.createTicket(Fixtures.ticket(plan: ["coder", "coder"]))
        #expect(try await database.recordTestLaunch(coder))
        let claim = try #require(try await database.claimNextTask(in: coderQueue, by: coder))
        _ = try await database.completeStage(
            StageCompletion(ticketId: claim.ticketId, taskId: claim.taskId, report: "stage one done"),
            by: coder
        )
        clock.advance(by: .seconds(40 * 86_400))
        let recent = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))

        // When history older than 30 days is pruned
        let pruned = try await database.prune(before: clock.now.addingTimeInterval(-30 * 86_400))

        // Then the old events and the ended task are gone; live tasks, tickets and comments stay
        #expect(pruned.tasks == 1)
        #expect(pruned.events > 0)
        let events = try await database.events(matching: try EventQuery(processed: nil))
        #expect(events.allSatisfy { $0.ticketId == recent.ticketId })
        let details = try await database.ticketDetails(ticket.ticketId)
        #expect(details.tasks.map(\.state) == [.queued])
        #expect(details.comments.map(\.content) == ["stage one done"])
        #expect(try await database.ticketDetails(recent.ticketId).tasks.map(\.state) == [.queued])
        #expect(try await database.prune(before: clock.now.addingTimeInterval(-30 * 86_400)).isEmpty)
    }
}
