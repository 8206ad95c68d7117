import EnsembleCore
import EnsembleStore
import EnsembleTestSupport
import Testing

struct TicketStoreTests {
    @Test func generatesSequentialTicketIDsPerProject() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)

        let first = try await database.createTicket(Fixtures.ticket())
        _ = try await database.createTicket(Fixtures.ticket(id: "SHOP-7"))
        let third = try await database.createTicket(Fixtures.ticket())

        #expect(first.ticketId.rawValue == "SHOP-1")
        #expect(third.ticketId.rawValue == "SHOP-8")
        #expect(first.state == .open)
        #expect(first.currentStage == 0)
    }

    @Test func refusesPlansNamingUnknownTypesAndChangesNothing() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)

        await #expect(
            throws: EnsembleError.unknownWorkerTypesInPlan(
                ProjectID(uncheckedRawValue: "acme/shop"),
                [WorkerTypeName(uncheckedRawValue: "tester")]
            )
        ) {
            try await database.createTicket(Fixtures.ticket(plan: ["planner", "tester", "tester"]))
        }
        #expect(try await database.listTickets(in: nil, state: nil).isEmpty)
        #expect(try await database.events(matching: EventQuery()).isEmpty)
    }

    @Test func keepsCommentsInOrderAndRecordsEvents() async throws {
        // Given a ticket
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        let ticket = try await database.createTicket(Fixtures.ticket(id: "SHOP-1"))

        // When comments are added, the stage is moved, and the ticket is closed
        for (stage, type) in ["planner", "coder", "reviewer"].enumerated() {
            _ = try await database.addComment(
                NewComment(
                    ticketId: ticket.ticketId,
                    workerType: WorkerTypeName(uncheckedRawValue: type),
                    workerId: WorkerID(uncheckedRawValue: "worker_\(type)_1"),
                    stageNumber: stage,
                    content: "report \(stage)"
                )
            )
        }
        let moved = try await database.updateStage(
            of: ticket.ticketId,
            to: .workerType(WorkerTypeName(uncheckedRawValue: "reviewer"))
        )
        let closed = try await database.closeTicket(ticket.ticketId, resolution: .completed, reason: "Done")

        // Then the details keep comment order and the events tell the story
        let details = try await database.ticketDetails(ticket.ticketId)
        #expect(details.comments.map(\.content) == ["report 0", "report 1", "report 2"])
        #expect(moved.currentStage == 2)
        #expect(closed.state == .closed)
        #expect(closed.resolution == .completed)
        #expect(closed.closedAt != nil)
        let events = try await database.events(matching: EventQuery())
        #expect(events.map(\.eventType) == [.ticketCreated, .ticketStageUpdated, .ticketClosed])
        #expect(events.map(\.id) == events.map(\.id).sorted())
    }

    @Test func closedTicketsRefuseChanges() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        let ticket = try await database.createTicket(Fixtures.ticket())
        _ = try await database.closeTicket(ticket.ticketId, resolution: .stopped, reason: nil)

        await #expect(throws: EnsembleError.ticketClosed(ticket.ticketId)) {
            try await database.closeTicket(ticket.ticketId, resolution: .completed, reason: nil)
        }
        await #expect(throws: EnsembleError.ticketClosed(ticket.ticketId)) {
            try await database.updateStage(of: ticket.ticketId, to: .index(1))
        }
        #expect(try await database.listTickets(in: nil, state: .closed).count == 1)
        #expect(try await database.listTickets(in: nil, state: .open).isEmpty)
    }

    @Test func refusesCommentsForStagesOutsideThePlan() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try await TestStore.makeSeededDatabase(projectPath: directory.path)
        let ticket = try await database.createTicket(Fixtures.ticket(plan: ["coder"]))
        let comment = try NewComment(
            ticketId: ticket.ticketId,
            workerType: WorkerTypeName(uncheckedRawValue: "coder"),
            workerId: WorkerID(uncheckedRawValue: "worker_coder_1"),
            stageNumber: 1,
            content: "x"
        )

        await #expect(throws: EnsembleError.stageOutOfRange(ticket.ticketId, stage: 1, stageCount: 1)) {
            try await database.addComment(comment)
        }
        #expect(try await database.ticketDetails(ticket.ticketId).comments.isEmpty)
    }
}
