import EnsembleCore
import Foundation
import Testing

struct TicketDetailsBudgetTests {
    private let ticket = Ticket(
        ticketId: TicketID(uncheckedRawValue: "SHOP-1"),
        projectId: ProjectID(uncheckedRawValue: "acme/shop"),
        title: "t",
        description: String(repeating: "d", count: 100),
        executionPlan: [WorkerTypeName(uncheckedRawValue: "coder")],
        createdAt: Date(timeIntervalSince1970: 0),
        updatedAt: Date(timeIntervalSince1970: 0)
    )

    private func comment(_ id: Int64, length: Int) -> EnsembleCore.Comment {
        EnsembleCore.Comment(
            id: id,
            ticketId: ticket.ticketId,
            workerType: WorkerTypeName(uncheckedRawValue: "coder"),
            workerId: WorkerID(uncheckedRawValue: "worker_coder_1"),
            stageNumber: 0,
            content: String(repeating: "c", count: length),
            createdAt: Date(timeIntervalSince1970: TimeInterval(id))
        )
    }

    private var budget: DetailsBudget {
        var budget = DetailsBudget()
        budget.totalCharacters = 1_100
        budget.minimumCommentCharacters = 500
        budget.maximumExcerpts = 2
        budget.excerptCharacters = 10
        budget.maximumTasks = 1
        return budget
    }

    @Test func aShortHistoryIsShownWhole() {
        let comments = [comment(1, length: 300), comment(2, length: 300)]
        let details = TicketDetails(ticket: ticket, comments: comments, tasks: [], within: budget)
        #expect(details.comments == comments)
        #expect(details.olderComments == 0)
    }

    @Test func theNewestCommentsStayWholeOlderOnesBecomeExcerptsAndTheOldestAreCounted() {
        let comments = (1...6).map { comment(Int64($0), length: 400) }
        let details = TicketDetails(ticket: ticket, comments: comments, tasks: [], within: budget)
        // 1,000 characters left after the description: the newest two in full, two excerpts, two counted.
        #expect(details.comments.map(\.id) == [3, 4, 5, 6])
        #expect(details.comments.map(\.truncatedFrom) == [400, 400, nil, nil])
        #expect(details.comments[0].content == String(repeating: "c", count: 10) + "…")
        #expect(details.olderComments == 2)
    }

    @Test func aLongDescriptionStillLeavesRoomForTheNewestReport() {
        var long = ticket
        long.description = String(repeating: "d", count: 5_000)
        let details = TicketDetails(ticket: long, comments: [comment(1, length: 450)], tasks: [], within: budget)
        #expect(details.comments.first?.truncatedFrom == nil)
    }

    @Test func theDefaultKeepsTheAnswerWellBelowClaudeCodesToolOutputLimit() throws {
        var long = ticket
        long.description = String(repeating: "d", count: TextLimit.document.maximumLength)
        let comments = (1...200).map { comment(Int64($0), length: TextLimit.report.maximumLength) }
        let details = TicketDetails(ticket: long, comments: comments, tasks: [], within: .toolOutput)
        let encoded = try JSONEncoder().encode(details)
        #expect(encoded.count < 80_000)
        #expect(details.comments.last?.id == 200 && details.comments.last?.truncatedFrom == nil)
        #expect(details.olderComments + details.comments.count == 200)
    }
}
